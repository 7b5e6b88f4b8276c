using Spillway.Core.Secrets;

namespace Spillway.Core.Tests.Secrets;

/// <summary>An <see cref="IKeyVaultStore"/> in memory, with the same all-or-nothing rewrite as the SQLite one.</summary>
internal sealed class MemoryKeyVaultStore : IKeyVaultStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, SealedKey> _rows = new(StringComparer.Ordinal);

    public IReadOnlyList<SealedKey> Rows
    {
        get { lock (_gate) { return [.. _rows.Values]; } }
    }

    /// <summary>Replaces a row as someone with write access to the database file could.</summary>
    public void Tamper(string id, Func<SealedKey, SealedKey> change)
    {
        lock (_gate) { _rows[id] = change(_rows[id]); }
    }

    public Task<IReadOnlyList<SealedKey>> ListAsync(CancellationToken cancellationToken) => Task.FromResult(Rows);

    public Task<bool> AddAsync(SealedKey key, CancellationToken cancellationToken)
    {
        lock (_gate) { return Task.FromResult(_rows.TryAdd(key.Info.Id, key)); }
    }

    public Task<bool> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        lock (_gate) { return Task.FromResult(_rows.Remove(id)); }
    }

    public Task<int> RewriteAllAsync(Func<SealedKey, SealedKey> rewrite, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var rewritten = _rows.Values.Select(rewrite).ToList();
            foreach (var row in rewritten)
            {
                _rows[row.Info.Id] = row;
            }

            return Task.FromResult(rewritten.Count);
        }
    }
}
