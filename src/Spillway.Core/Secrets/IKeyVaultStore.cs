namespace Spillway.Core.Secrets;

/// <summary>Where the sealed provider keys are kept (the embedded SQLite database). It never sees a key in clear.</summary>
public interface IKeyVaultStore
{
    /// <summary>Every row, ordered by id; empty when nothing was ever stored (and then creates nothing).</summary>
    Task<IReadOnlyList<SealedKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Adds a row; false when a row with the same id exists.</summary>
    Task<bool> AddAsync(SealedKey key, CancellationToken cancellationToken);

    /// <summary>Removes a row and wipes its bytes from the file; false when there is none with that id.</summary>
    Task<bool> RemoveAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces every row with what <paramref name="rewrite"/> makes of it, in one transaction: when it throws for
    /// any row, no row changes. The old bytes are wiped from the file. Returns how many rows were rewritten.
    /// </summary>
    Task<int> RewriteAllAsync(Func<SealedKey, SealedKey> rewrite, CancellationToken cancellationToken);
}
