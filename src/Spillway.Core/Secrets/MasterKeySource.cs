namespace Spillway.Core.Secrets;

/// <summary>
/// Finds the master key: <c>SPILLWAY_MASTER_KEY</c> when set (base64 of 32 bytes), else <c>master.key</c> in the data
/// folder (<see cref="MasterKeyFile"/>), created on first need. The environment is passed in, never read here.
/// </summary>
public static class MasterKeySource
{
    /// <summary>The variable holding the master key; it wins over the key file.</summary>
    public const string Variable = "SPILLWAY_MASTER_KEY";

    /// <summary>The variable <c>keys rotate-master</c> takes the new master key from when <see cref="Variable"/> is set.</summary>
    public const string NewVariable = "SPILLWAY_NEW_MASTER_KEY";

    /// <summary>How to make a master key, for messages.</summary>
    public const string MakeOne = "openssl rand -base64 32";

    /// <summary>The master key in force.</summary>
    /// <param name="storedMasterIds">The <see cref="MasterKey.Id"/>s of the stored keys (empty when none are stored).</param>
    /// <param name="create">Create the key file when there is no master key yet and nothing is stored.</param>
    /// <returns>Null when there is none and none was to be created (then nothing is stored either).</returns>
    /// <exception cref="KeyVaultException">A malformed variable or file, a file open to others, or stored keys without
    /// any master key.</exception>
    public static ResolvedMasterKey? Resolve(
        string dataDirectory, IReadOnlyDictionary<string, string?> environment, IReadOnlyCollection<string> storedMasterIds, bool create)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(storedMasterIds);
        if (FromVariable(environment, Variable) is { } fromEnvironment)
        {
            return new ResolvedMasterKey(fromEnvironment, Variable, FromEnvironment: true, Created: false);
        }

        var path = MasterKeyFile.PathIn(dataDirectory);
        FinishInterruptedRotation(path, storedMasterIds);
        if (File.Exists(path))
        {
            return new ResolvedMasterKey(MasterKeyFile.Read(path), path, FromEnvironment: false, Created: false);
        }

        if (storedMasterIds.Count > 0)
        {
            throw new KeyVaultException(
                $"no master key: {Variable} is not set and {path} does not exist, so the stored keys cannot be opened; set {Variable} to the master key they were stored with, or restore {path}");
        }

        if (!create)
        {
            return null;
        }

        var created = MasterKey.Generate();
        if (MasterKeyFile.TryCreate(path, created))
        {
            return new ResolvedMasterKey(created, path, FromEnvironment: false, Created: true);
        }

        // Another process created it between the check and the rename: use theirs.
        created.Dispose();
        return new ResolvedMasterKey(MasterKeyFile.Read(path), path, FromEnvironment: false, Created: false);
    }

    /// <summary>The master key in <paramref name="variable"/>; null when unset or empty.</summary>
    /// <exception cref="KeyVaultException">The variable is set but is not base64 of 32 bytes.</exception>
    public static MasterKey? FromVariable(IReadOnlyDictionary<string, string?> environment, string variable)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!environment.TryGetValue(variable, out var text) || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return MasterKey.TryParse(text, out var key)
            ? key
            : throw new KeyVaultException($"{variable} is not a master key: expected 32 random bytes in base64 (make one with: {MakeOne})");
    }

    /// <summary>
    /// A rotation writes the new key to <c>master.key.new</c>, commits the database, then renames it over
    /// <c>master.key</c>. When it stopped between the commit and the rename, the stored keys are sealed under the
    /// pending key: finish the rename. A pending key they are not sealed under is a rotation that never committed;
    /// it is left for the next rotation to overwrite, never deleted here, in case that rotation is still running.
    /// </summary>
    private static void FinishInterruptedRotation(string path, IReadOnlyCollection<string> storedMasterIds)
    {
        var pending = path + MasterKeyFile.PendingSuffix;
        if (storedMasterIds.Count == 0 || !File.Exists(pending))
        {
            return;
        }

        using var key = MasterKeyFile.Read(pending);
        if (storedMasterIds.All(id => string.Equals(id, key.Id, StringComparison.Ordinal)))
        {
            File.Move(pending, path, overwrite: true);
        }
    }
}
