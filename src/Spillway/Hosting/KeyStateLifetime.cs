using Spillway.Core.KeyState;
using Spillway.Serving;

namespace Spillway.Hosting;

/// <summary>
/// Makes the in-memory key state survive a restart: loads it from the archive before the first request, saves a
/// snapshot every <see cref="SpillwayAppOptions.KeyStateSaveInterval"/> when it changed, and once more at shutdown.
/// A crash loses at most one interval. What is restored: a cooldown set on the secret the config still holds under
/// the key's id (compared by its last four characters), so a rotated key starts fresh. What is not: a rejected key
/// (<c>key_rejected</c>, or <c>auth_failed</c> as older versions saved it), which is re-checked at every start, since
/// a restart is what a user does after fixing the key at the provider.
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
    private KeyStateSnapshot _saved = KeyStateSnapshot.Empty;
    private Task _loop = Task.CompletedTask;

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
        _loop = SaveEveryIntervalAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop;
        await SaveAsync(cancellationToken);
    }

    public void Dispose() => _stopping.Dispose();

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
