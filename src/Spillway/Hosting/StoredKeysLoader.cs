using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;
using Spillway.Core.Secrets;

namespace Spillway.Hosting;

/// <summary>
/// What <c>serve</c> does with the keys stored by <c>spillway keys add</c> (in the data folder, or in PostgreSQL):
/// opens them with the master key and merges them into the config (<see cref="StoredKeysMerge"/>). With nothing stored
/// the config is returned as it was and no master key is looked for.
/// </summary>
internal static class StoredKeysLoader
{
    /// <exception cref="ConfigException">One line: the vault cannot be opened (no or wrong master key, an altered
    /// row, an unreadable database), or a stored key does not fit the config.</exception>
    public static async Task<SpillwayConfig> ApplyAsync(
        SpillwayConfig config,
        RecordStores records,
        string dataDirectory,
        IReadOnlyDictionary<string, string?> environment,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredKey> keys;
        try
        {
            var vault = new KeyVault(records.KeyVault, time);
            var stored = await vault.ListAsync(cancellationToken);
            if (stored.Count == 0)
            {
                return config;
            }

            using var master = MasterKeySource.Resolve(dataDirectory, environment, [.. stored.Select(k => k.MasterKeyId).Distinct()], create: false)!;
            keys = await vault.OpenAllAsync(master, cancellationToken);
        }
        catch (Exception e) when (e is KeyVaultException or InvalidOperationException or IOException or UnauthorizedAccessException || RecordStores.IsUnreachable(e))
        {
            throw new ConfigException($"stored keys in {records.Place}: {e.Message.ReplaceLineEndings(" ")}", e);
        }

        return StoredKeysMerge.Merge(config, keys);
    }
}
