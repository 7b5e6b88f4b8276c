namespace Spillway.Core.Secrets;

/// <summary>
/// <c>spillway keys rotate-master</c>: every stored key sealed again under a new master key, in one transaction.
/// With a key file the new key is random and replaces the file; with <c>SPILLWAY_MASTER_KEY</c> it comes from
/// <c>SPILLWAY_NEW_MASTER_KEY</c>, and the user then moves it into <c>SPILLWAY_MASTER_KEY</c>.
/// </summary>
public static class MasterKeyRotation
{
    /// <summary>What a rotation did.</summary>
    /// <param name="Resealed">How many stored keys were sealed again.</param>
    /// <param name="NewMasterKeyId">The new master key's fingerprint.</param>
    /// <param name="FromEnvironment">True when the master key lives in <c>SPILLWAY_MASTER_KEY</c>.</param>
    /// <param name="KeyFile">The key file written, when not <paramref name="FromEnvironment"/>.</param>
    public sealed record Result(int Resealed, string NewMasterKeyId, bool FromEnvironment, string? KeyFile);

    /// <exception cref="KeyVaultException">No usable current or new master key, or a stored key that does not open.</exception>
    public static async Task<Result> RotateAsync(
        KeyVault vault, string dataDirectory, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vault);
        var stored = await vault.ListAsync(cancellationToken);
        using var current = MasterKeySource.Resolve(dataDirectory, environment, [.. stored.Select(k => k.MasterKeyId).Distinct()], create: false);
        if (current is { FromEnvironment: true })
        {
            using var given = MasterKeySource.FromVariable(environment, MasterKeySource.NewVariable)
                ?? throw new KeyVaultException(
                    $"the master key comes from {MasterKeySource.Variable}: put the new one in {MasterKeySource.NewVariable} (e.g. export {MasterKeySource.NewVariable}=$({MasterKeySource.MakeOne})) and run rotate-master again");
            if (string.Equals(given.Id, current.Key.Id, StringComparison.Ordinal))
            {
                throw new KeyVaultException($"{MasterKeySource.NewVariable} holds the same master key as {MasterKeySource.Variable}; make a new one with: {MasterKeySource.MakeOne}");
            }

            var count = await vault.RotateAsync(current, given, cancellationToken);
            return new Result(count, given.Id, FromEnvironment: true, KeyFile: null);
        }

        var path = MasterKeyFile.PathIn(dataDirectory);
        using var next = MasterKey.Generate();
        MasterKeyFile.WritePending(path, next);
        int resealed;
        try
        {
            resealed = current is null ? 0 : await vault.RotateAsync(current, next, cancellationToken);
        }
        catch
        {
            MasterKeyFile.DeletePending(path);
            throw;
        }

        MasterKeyFile.Replace(path, next);
        return new Result(resealed, next.Id, FromEnvironment: false, path);
    }
}
