using Spillway.Core.Providers;

namespace Spillway.Core.Secrets;

/// <summary>
/// The user's provider keys, sealed at rest under one <see cref="MasterKey"/> (<c>spillway keys add|list|remove|rotate-master</c>).
/// Every row names the master key it is sealed under, so a wrong master key is reported as such, never opened into garbage.
/// </summary>
public sealed class KeyVault(IKeyVaultStore store, TimeProvider time)
{
    /// <summary>The message of every error about a master key that does not match the stored keys.</summary>
    public const string WrongMasterKey = "the stored keys were encrypted with another master key";

    /// <summary>What is stored, without the keys; needs no master key.</summary>
    public async Task<IReadOnlyList<StoredKeyInfo>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListAsync(cancellationToken)).Select(k => k.Info)];

    /// <summary>Seals <paramref name="secret"/> under <paramref name="master"/> and stores it.</summary>
    /// <exception cref="KeyVaultException">The id is taken, or the stored keys are sealed under another master key.</exception>
    public async Task<StoredKeyInfo> AddAsync(
        ResolvedMasterKey master, string id, string provider, KeyTier tier, KeyLimits limits, Secret secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(secret);
        var existing = await store.ListAsync(cancellationToken);

        // One vault, one master key: a key sealed under a second one could never be opened beside the others.
        CheckMaster(master, existing);
        var info = new StoredKeyInfo(id, provider, tier, limits, secret.Last4, master.Key.Id, time.GetUtcNow());
        var sealedKey = new SealedKey(info, SecretSealer.Seal(master.Key, secret.Reveal(), provider, id));
        return await store.AddAsync(sealedKey, cancellationToken)
            ? info
            : throw new KeyVaultException($"a key with id '{id}' is already stored (spillway keys remove {id} first, or choose another --id)");
    }

    /// <summary>False when no key has that id.</summary>
    public Task<bool> RemoveAsync(string id, CancellationToken cancellationToken) => store.RemoveAsync(id, cancellationToken);

    /// <summary>Every stored key, opened with <paramref name="master"/>.</summary>
    /// <exception cref="KeyVaultException">Wrong master key, or a row fails its integrity check.</exception>
    public async Task<IReadOnlyList<StoredKey>> OpenAllAsync(ResolvedMasterKey master, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(master);
        var rows = await store.ListAsync(cancellationToken);
        CheckMaster(master, rows);
        return [.. rows.Select(row => new StoredKey(row.Info, new Secret(SecretSealer.Open(master.Key, row.Secret, row.Info.Provider, row.Info.Id))))];
    }

    /// <summary>Seals every stored key again under <paramref name="next"/>, in one transaction: all or none.</summary>
    /// <returns>How many keys were sealed again.</returns>
    /// <exception cref="KeyVaultException">A row is not sealed under <paramref name="current"/>, or fails its integrity check.</exception>
    public Task<int> RotateAsync(ResolvedMasterKey current, MasterKey next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        var now = time.GetUtcNow();
        return store.RewriteAllAsync(
            row =>
            {
                CheckMaster(current, [row]);
                var plaintext = SecretSealer.Open(current.Key, row.Secret, row.Info.Provider, row.Info.Id);
                var info = row.Info with { MasterKeyId = next.Id, RotatedAt = now };
                return new SealedKey(info, SecretSealer.Seal(next, plaintext, info.Provider, info.Id));
            },
            cancellationToken);
    }

    private static void CheckMaster(ResolvedMasterKey master, IReadOnlyList<SealedKey> rows)
    {
        if (rows.FirstOrDefault(r => !string.Equals(r.Info.MasterKeyId, master.Key.Id, StringComparison.Ordinal)) is { } other)
        {
            throw new KeyVaultException(
                $"{WrongMasterKey} (id {other.Info.MasterKeyId}; the {master.Description} has id {master.Key.Id}): use the master key they were stored with, or remove them and add them again");
        }
    }
}
