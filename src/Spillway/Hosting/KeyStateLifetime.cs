using System.Threading.Channels;
using Spillway.Core.KeyState;
using Spillway.Serving;

namespace Spillway.Hosting;

/// <summary>
/// Makes the in-memory key state survive a restart: loads it from the archive before the first request, saves a
/// snapshot every <see cref="SpillwayAppOptions.KeyStateSaveInterval"/> when it changed, and once more at shutdown.
/// A cooldown is saved sooner: when <see cref="InMemoryKeyStateStore"/> says one was set, cleared or reset, a save
/// starts at once in the background (a burst of changes while one is written makes one more save, not one each), so
/// a crash loses a cooldown only while that one small write runs, and quota counters at most one interval. What is
/// restored: a cooldown set on the secret the config still holds under the key's id (compared by its last four
/// characters), so a rotated key starts fresh. What is not: a rejected key (<c>key_rejected</c>, or
/// <c>auth_failed</c> as older versions saved it), which is re-checked at every start, since a restart is what a user
/// does after fixing the key at the provider.
/// </summary>
internal sealed partial class KeyStateLifetime(
    IKeyStateArchive archive,
    IKeyStateStore cooldowns,
    IQuotaStore quotas,
    ConfigHolder configs,
    TimeProvider time,
    SpillwayAppOptions options,
    ILogger<KeyStateLifetime> logger) : IHostedService, IDisposable
{
    /// <summary>How versions before <c>key_rejected</c> saved a rejected key (for a year).</summary>
    private const string LegacyRejectedOutcome = "auth_failed";

    private readonly CancellationTokenSource _stopping = new();

    // One slot: a change signalled while a save waits or runs leaves one more save to do, however many changes came.
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    // The periodic save, the save on change and the last one at shutdown take turns.
    private readonly SemaphoreSlim _saving = new(1, 1);
    private KeyStateSnapshot _saved = KeyStateSnapshot.Empty;
    private Task _loop = Task.CompletedTask;
    private Task _onChange = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await archive.InitializeAsync(cancellationToken);
        var loaded = await archive.LoadAsync(cancellationToken);
        var now = time.GetUtcNow();
        var hints = SecretHints();
        foreach (var saved in loaded.Cooldowns)
        {
            if (saved.Cooldown.Until > now && StillApplies(saved, hints))
            {
                cooldowns.SetCooldown(saved.KeyId, saved.Cooldown);
            }
        }

        quotas.Import(loaded.Quotas);
        _saved = loaded;
        if (cooldowns is InMemoryKeyStateStore memory)
        {
            // After the restore above, which needs no save.
            memory.CooldownsChanged += OnCooldownsChanged;
            _onChange = SaveOnChangeAsync(_stopping.Token);
        }

        _loop = SaveEveryIntervalAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (cooldowns is InMemoryKeyStateStore memory)
        {
            memory.CooldownsChanged -= OnCooldownsChanged;
        }

        await _stopping.CancelAsync();
        await _loop;
        await _onChange;
        await SaveAsync(cancellationToken);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _saving.Dispose();
    }

    /// <summary>Runs on the request that set the cooldown: only signals the save loop.</summary>
    private void OnCooldownsChanged(object? sender, EventArgs e) => _changed.Writer.TryWrite(true);

    private async Task SaveOnChangeAsync(CancellationToken stopping)
    {
        try
        {
            while (await _changed.Reader.WaitToReadAsync(stopping))
            {
                _changed.Reader.TryRead(out _);
                await SaveAsync(stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: StopAsync saves once more.
        }
    }

    private async Task SaveEveryIntervalAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.KeyStateSaveInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                await SaveAsync(stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: StopAsync saves once more.
        }
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        await _saving.WaitAsync(cancellationToken);
        try
        {
            var snapshot = Capture();
            if (snapshot.SameAs(_saved))
            {
                return;
            }

            await archive.SaveAsync(snapshot, cancellationToken);
            _saved = snapshot;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The state stays in memory and the next tick tries again; requests are never affected.
            Log.SaveFailed(logger, ex);
        }
        finally
        {
            _saving.Release();
        }
    }

    private KeyStateSnapshot Capture()
    {
        var now = time.GetUtcNow();
        var hints = SecretHints();
        var saved = new List<SavedCooldown>();
        foreach (var (keyId, cooldown) in cooldowns.ActiveCooldowns(now))
        {
            saved.Add(new SavedCooldown(keyId, cooldown, hints.GetValueOrDefault(keyId, string.Empty)));
        }

        saved.Sort(static (a, b) => (a.KeyId, a.Cooldown.Model ?? string.Empty).CompareTo((b.KeyId, b.Cooldown.Model ?? string.Empty)));
        var records = quotas.Export(now).OrderBy(r => (r.KeyId, r.Model, r.Measure)).ToList();
        return new KeyStateSnapshot(saved, records);
    }

    private static bool StillApplies(SavedCooldown saved, Dictionary<string, string> hints) =>
        !saved.Cooldown.IsRejection && saved.Cooldown.Outcome != LegacyRejectedOutcome &&
        hints.GetValueOrDefault(saved.KeyId) == saved.SecretHint;

    private Dictionary<string, string> SecretHints()
    {
        var hints = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var provider in configs.Current.Providers)
        {
            foreach (var key in provider.Keys)
            {
                hints[key.Id] = key.Value.Last4;
            }
        }

        return hints;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save the key state; retrying at the next interval")]
        public static partial void SaveFailed(ILogger logger, Exception exception);
    }
}
