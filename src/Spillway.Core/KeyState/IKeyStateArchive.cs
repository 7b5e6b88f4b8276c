namespace Spillway.Core.KeyState;

/// <summary>
/// Where the embedded key state is kept across restarts (the SQLite database by default). The hot path never
/// touches it: the host loads it into <see cref="IKeyStateStore"/> and <see cref="IQuotaStore"/> at startup and
/// saves a snapshot every few seconds, soon after a cooldown changes, and at shutdown.
/// </summary>
public interface IKeyStateArchive
{
    /// <summary>Creates or migrates the tables. Idempotent.</summary>
    ValueTask InitializeAsync(CancellationToken cancellationToken);

    Task<KeyStateSnapshot> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Replaces what was kept with <paramref name="snapshot"/>.</summary>
    Task SaveAsync(KeyStateSnapshot snapshot, CancellationToken cancellationToken);
}
