using Spillway.Core.Providers;
using Spillway.Core.Secrets;
using Spillway.Storage.Sqlite;
using Spillway.TestSupport;

namespace Spillway.Tests.Cli;

/// <summary><c>spillway serve</c> with keys stored by <c>spillway keys add</c> it cannot open.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ServeStoredKeysTests : IDisposable
{
    private readonly TempDirectory _data = new(create: false);

    public void Dispose()
    {
        _data.Dispose();
    }

    [Fact]
    public async Task Serve_StoredKeysUnderAnotherMasterKey_ExitsNonZeroWithOneClearLine()
    {
        using (var master = MasterKeySource.Resolve(_data.Path, new Dictionary<string, string?>(), [], create: true)!)
        {
            await new KeyVault(new SqliteKeyVaultStore(_data.Path), TimeProvider.System).AddAsync(
                master, "openai-stored", "openai", KeyTier.Paid, KeyLimits.Unknown, new Secret("sk-serve-test-0123456789"), CancellationToken.None);
        }

        using (var other = MasterKey.Generate())
        {
            MasterKeyFile.Replace(Path.Combine(_data.Path, MasterKeyFile.FileName), other);
        }

        // Were the vault not read, the non-loopback address would stop serve before it listens.
        var file = Path.Combine(_data.Path, "spillway.yaml");
        await File.WriteAllTextAsync(file, "providers:\n  - id: openai\n    preset: openai\n");
        var (exit, stderr) = await RunAsync("serve", "--config", file, "--data", _data.Path, "--urls", "http://0.0.0.0:0");

        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("spillway: stored keys in ", line, StringComparison.Ordinal);
        Assert.Contains(KeyVault.WrongMasterKey, line, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-serve-test", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Stderr)> RunAsync(params string[] args)
    {
        var (exit, _, stderr) = await CliRun.RunAsync(args);
        return (exit, stderr);
    }
}
