using System.Collections.Immutable;
using System.Globalization;
using Spillway.Core.Configuration;
using Spillway.Serving;
using Spillway.Storage.Sqlite;

namespace Spillway.Hosting;

/// <summary>
/// Keeps the served clients in step with the data folder's stored ones: every
/// <see cref="SpillwayAppOptions.StoredClientsInterval"/> the clients table is read, and a client added, changed or
/// removed with <c>spillway clients</c> takes effect without a restart. A removed (revoked) key stops working within
/// one interval. The config's own clients are never touched.
/// </summary>
internal sealed partial class StoredClientsWatcher(
    ConfigHolder configs, SpillwayAppOptions options, TimeProvider time, ILogger<StoredClientsWatcher> logger) : BackgroundService
{
    // Said once, not every interval, while the same stored client stays left out.
    private string? _lastClash;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The clients the config itself lists: what is served now, less what is stored (serve merged those in).
            var stored = await SqliteClientStore.ListIfAnyAsync(options.DataDirectory, stoppingToken);
            var storedIds = stored.Select(s => s.Client.Id).ToHashSet(StringComparer.Ordinal);
            var own = configs.Current.Auth.Clients.Where(c => !storedIds.Contains(c.Id)).ToImmutableArray();

            using var timer = new PeriodicTimer(options.StoredClientsInterval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    Apply(own, await SqliteClientStore.ListIfAnyAsync(options.DataDirectory, stoppingToken));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A locked or unreadable database this time: the clients served so far stay as they are.
                    Log.ReadFailed(logger, ex.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
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

        [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Could not read the stored clients ({Error}); the clients served so far stay")]
        public static partial void ReadFailed(ILogger logger, string error);
    }
}
