using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;
using Spillway.Core.Providers;
using Spillway.Core.Secrets;
using Spillway.Hosting;
using Spillway.Storage.Sqlite;
using Spillway.TestSupport;

namespace Spillway.Tests.Hosting;

/// <summary>What <c>serve</c> does with the stored keys before it starts.</summary>
public sealed class StoredKeysLoaderTests : IDisposable
{
    private const string GroqKey = "gsk_loader_test_0123456789abcdefLD01";

    private static readonly Dictionary<string, string?> NoVariables = [];

    private readonly TempDirectory _data = new(create: false);

    public void Dispose()
    {
        _data.Dispose();
    }

    [Fact]
    public async Task Apply_NothingStored_ReturnsTheConfigAndLooksForNoMasterKey()
    {
        var config = ConfigLoader.FromEnvironment(NoVariables);

        var applied = await ApplyAsync(config, NoVariables);

        Assert.Same(config, applied);
        Assert.False(File.Exists(Path.Combine(_data.Path, MasterKeyFile.FileName)));
    }

    [Fact]
    public async Task Apply_NoVariablesButStoredKeys_ServesTheStoredKeysInsteadOfTheDemo()
    {
        await StoreAsync("groq-stored", "groq", GroqKey);

        var applied = await ApplyAsync(ConfigLoader.FromEnvironment(NoVariables), NoVariables);

        var key = Assert.Single(Assert.Single(applied.Providers).Keys);
        Assert.Equal("groq-stored", key.Id);
        Assert.Equal(GroqKey, key.Value.Reveal());
        Assert.StartsWith("groq/", applied.FindAlias(ConfigLoader.FreeFirstAlias)!.Route[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_WrongMasterKey_OneLineConfigErrorWithoutTheKey()
    {
        await StoreAsync("groq-stored", "groq", GroqKey);
        using var other = MasterKey.Generate();

        var error = await Assert.ThrowsAsync<ConfigException>(() => ApplyAsync(ConfigLoader.FromEnvironment(NoVariables), new Dictionary<string, string?> { [MasterKeySource.Variable] = other.ToBase64() }));

        Assert.Contains(SqliteLedgerStore.FileName, error.Message, StringComparison.Ordinal);
        Assert.Contains(KeyVault.WrongMasterKey, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain(GroqKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_MasterKeyFileGone_SaysThereIsNoMasterKey()
    {
        await StoreAsync("groq-stored", "groq", GroqKey);
        File.Delete(Path.Combine(_data.Path, MasterKeyFile.FileName));

        var error = await Assert.ThrowsAsync<ConfigException>(() =>
            ApplyAsync(ConfigLoader.FromEnvironment(NoVariables), NoVariables));

        Assert.Contains("no master key", error.Message, StringComparison.Ordinal);
    }

    private async Task StoreAsync(string id, string provider, string key)
    {
        using var master = MasterKeySource.Resolve(_data.Path, NoVariables, [], create: true)!;
        await new KeyVault(new SqliteKeyVaultStore(_data.Path), TimeProvider.System)
            .AddAsync(master, id, provider, KeyTier.Free, KeyLimits.Unknown, new Secret(key), CancellationToken.None);
    }

    private async Task<SpillwayConfig> ApplyAsync(SpillwayConfig config, IReadOnlyDictionary<string, string?> environment)
    {
        await using var records = await RecordStores.OpenAsync(StorageConfig.None, _data.Path, CancellationToken.None);
        return await StoredKeysLoader.ApplyAsync(config, records, _data.Path, environment, TimeProvider.System, CancellationToken.None);
    }
}
