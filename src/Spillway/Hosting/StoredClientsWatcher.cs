using System.Collections.Immutable;
using System.Globalization;
using System.Threading.Channels;
using Spillway.Core.Configuration;
using Spillway.Serving;
using Spillway.Storage.Redis;

namespace Spillway.Hosting;

/// <summary>
/// Keeps the served clients in step with the stored ones (<see cref="IClientStore"/>: the data folder's database, or
/// PostgreSQL): a client added, changed or removed with <c>spillway clients</c> takes effect without a restart. The
/// config's own clients are never touched.
/// </summary>
/// <remarks>
/// Alone, the instance reads the stored clients every <see cref="SpillwayAppOptions.StoredClientsInterval"/>. With
/// Redis, the command that changed them says so on the change channel and every instance reloads at once; then the
/// periodic read over shared PostgreSQL records is only a backstop
/// (<see cref="SpillwayAppOptions.StoredClientsBackstopInterval"/>), and a reload
/// also follows Redis coming back (what was said meanwhile was missed).
/// </remarks>
internal sealed partial class StoredClientsWatcher(
    ConfigHolder configs,
    SpillwayAppOptions options,
    TimeProvider time,
    IClientStore store,
    SharedState? shared,
    ILogger<StoredClientsWatcher> logger) : BackgroundService
{
    // A reload asked for while one is pending is the same reload.
    private readonly Channel<bool> _reloads = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    // Said once, not every interval, while the same stored client stays left out.
    private string? _lastClash;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = shared?.Changes.Subscribe(OnChangeAsync);
        if (shared is not null)
        {
            shared.Redis.Restored += AskReload;
        }

        try
        {
            // Announcements reach every reader only when the records are shared too; with a data folder each, a
            // command run beside one instance may not have told Redis.
            var announced = shared is not null && options.Config.Storage.Postgres is not null;
            using var timer = new PeriodicTimer(announced ? options.StoredClientsBackstopInterval : options.StoredClientsInterval, time);

            // The clients the config itself lists: what is served now, less what is stored (serve merged those in).
            // Known from the first read that succeeds: the database may be away when the instance starts.
            ImmutableArray<ClientKeyConfig>? own = null;
            Task<bool>? tick = null;
            Task<bool>? reload = null;
            while (true)
            {
                try
                {
                    var stored = await store.ListAsync(stoppingToken);
                    if (own is null)
                    {
                        var storedIds = stored.Select(c => c.Client.Id).ToHashSet(StringComparer.Ordinal);
                        own = [.. configs.Current.Auth.Clients.Where(c => !storedIds.Contains(c.Id))];
                    }

                    Apply(own.Value, stored);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A locked or unreachable database this time: the clients served so far stay as they are.
                    Log.ReadFailed(logger, ex.GetType().Name);
                }

                tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
                reload ??= _reloads.Reader.WaitToReadAsync(stoppingToken).AsTask();
                var woke = await Task.WhenAny(tick, reload);
                if (!await woke)
                {
                    return;
                }

                if (woke == tick)
                {
                    tick = null;
                }
                else
                {
                    reload = null;
                    _reloads.Reader.TryRead(out _);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            if (shared is not null)
            {
                shared.Redis.Restored -= AskReload;
            }
        }
    }

    private void AskReload() => _reloads.Writer.TryWrite(true);

    private Task OnChangeAsync(StoredChange change)
    {
        if (change == StoredChange.Clients)
        {
            AskReload();
        }
        else
        {
            // Provider keys are read at start, as with one instance; say why a new key is not used yet.
            Log.KeysChanged(logger);
        }

        return Task.CompletedTask;
    }

    private void Apply(ImmutableArray<ClientKeyConfig> own, IReadOnlyList<StoredClient> stored)
    {
        var next = StoredClients.Join(own, stored, out var clash);
        if (clash is not null && clash != _lastClash)
        {
            Log.ClientClash(logger, clash);
        }

        _lastClash = clash;

        var current = configs.Current;
        if (Signature(next) == Signature(current.Auth.Clients))
        {
            return;
        }

        configs.Swap(current with { Auth = current.Auth with { Clients = next } });
        if (logger.IsEnabled(LogLevel.Information))
        {
            var before = current.Auth.Clients.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            var after = next.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            var added = string.Join(", ", after.Except(before));
            var removed = string.Join(", ", before.Except(after));
            Log.ClientsChanged(logger, added, removed, next.Length);
        }
    }

    /// <summary>What admission depends on, per client: a change in any of it is a change of clients.</summary>
    private static string Signature(ImmutableArray<ClientKeyConfig> clients) => string.Join(
        '\n',
        clients.Select(c => string.Create(
            CultureInfo.InvariantCulture,
            $"{c.Id}|{c.KeyHash}|{c.AllowPaid}|{c.BudgetUsdPerDay}|{c.BudgetUsdPerMonth}|{c.RequestsPerMinute}|{string.Join(',', c.AllowedModels)}|{c.NoTrain}")));

    private static partial class Log
    {
        [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Stored clients changed: added [{Added}], removed [{Removed}]; {Count} clients now")]
        public static partial void ClientsChanged(ILogger logger, string added, string removed, int count);

        [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Stored client {Id} is left out: the config has a client of that id")]
        public static partial void ClientClash(ILogger logger, string id);

        [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "The stored provider keys were changed on another instance; restart this one to use them")]
        public static partial void KeysChanged(ILogger logger);

        [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Could not read the stored clients ({Error}); the clients served so far stay")]
        public static partial void ReadFailed(ILogger logger, string error);
    }
}
