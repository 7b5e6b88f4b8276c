using Microsoft.Data.Sqlite;
using Spillway.Core.Providers;
using Spillway.Core.Secrets;
using Spillway.TestSupport;

namespace Spillway.Storage.Sqlite.Tests;

public sealed class SqliteKeyVaultStoreTests : IDisposable
{
    private const string GroqKey = "gsk_0123456789abcdefghijWXYZ";
    private const string OpenAIKey = "sk-proj-9876543210zyxwvutsABCD";

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task AddThenOpenAll_FromANewStoreOnTheSameFile_RoundTripsEveryField()
    {
        using var master = Master(MasterKey.Generate());
        var added = await Vault().AddAsync(master, "groq-1", "groq", KeyTier.Free, new KeyLimits(30, 1000, 12_000, 100_000), new Secret(GroqKey), CancellationToken.None);
        await Vault().AddAsync(master, "openai-1", "openai", KeyTier.Paid, KeyLimits.Unknown, new Secret(OpenAIKey), CancellationToken.None);

        var keys = await Vault().OpenAllAsync(master, CancellationToken.None);

        Assert.Equal(["groq-1", "openai-1"], keys.Select(k => k.Info.Id));
        Assert.Equal(added with { AddedAt = DateTimeOffset.FromUnixTimeMilliseconds(added.AddedAt.ToUnixTimeMilliseconds()) }, keys[0].Info);
        Assert.Equal(GroqKey, keys[0].Value.Reveal());
        Assert.Equal(OpenAIKey, keys[1].Value.Reveal());
        Assert.Equal(KeyTier.Paid, keys[1].Info.Tier);
        Assert.Equal(KeyLimits.Unknown, keys[1].Info.Limits);
    }

    [Fact]
    public async Task List_NoDatabase_IsEmptyAndCreatesNothing()
    {
        var folder = Path.Combine(_directory.Path, "not-yet");

        Assert.Empty(await new SqliteKeyVaultStore(folder).ListAsync(CancellationToken.None));
        Assert.False(await new SqliteKeyVaultStore(folder).RemoveAsync("x", CancellationToken.None));
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Add_TakenId_ReturnsFalse()
    {
        using var master = MasterKey.Generate();
        var store = new SqliteKeyVaultStore(_directory.Path);
        var row = Row(master, "groq-1", GroqKey);

        Assert.True(await store.AddAsync(row, CancellationToken.None));
        Assert.False(await store.AddAsync(row, CancellationToken.None));
    }

    [Fact]
    public async Task Rotate_EveryRowOpensWithTheNewMasterOnly()
    {
        using var old = Master(MasterKey.Generate());
        using var next = MasterKey.Generate();
        await Vault().AddAsync(old, "groq-1", "groq", KeyTier.Free, KeyLimits.Unknown, new Secret(GroqKey), CancellationToken.None);
        await Vault().AddAsync(old, "openai-1", "openai", KeyTier.Paid, KeyLimits.Unknown, new Secret(OpenAIKey), CancellationToken.None);

        Assert.Equal(2, await Vault().RotateAsync(old, next, CancellationToken.None));

        using var rotated = Master(next);
        Assert.Equal([GroqKey, OpenAIKey], (await Vault().OpenAllAsync(rotated, CancellationToken.None)).Select(k => k.Value.Reveal()));
        var error = await Assert.ThrowsAsync<KeyVaultException>(() => Vault().OpenAllAsync(old, CancellationToken.None));
        Assert.StartsWith(KeyVault.WrongMasterKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RewriteAll_ThrowsOnTheSecondRow_NoRowChanges()
    {
        using var master = MasterKey.Generate();
        var store = new SqliteKeyVaultStore(_directory.Path);
        await store.AddAsync(Row(master, "a", GroqKey), CancellationToken.None);
        await store.AddAsync(Row(master, "b", OpenAIKey), CancellationToken.None);
        var before = await store.ListAsync(CancellationToken.None);

        var calls = 0;
        await Assert.ThrowsAsync<KeyVaultException>(() => store.RewriteAllAsync(
            row => ++calls == 2 ? throw new KeyVaultException("no") : row with { Info = row.Info with { MasterKeyId = "changed" } },
            CancellationToken.None));

        var after = await store.ListAsync(CancellationToken.None);
        Assert.Equal(before.Select(r => r.Info), after.Select(r => r.Info));
    }

    [Fact]
    public async Task RemoveAndRotate_LeaveNoOldSealedBytesInTheFiles()
    {
        using var old = Master(MasterKey.Generate());
        using var next = MasterKey.Generate();
        await Vault().AddAsync(old, "groq-1", "groq", KeyTier.Free, KeyLimits.Unknown, new Secret(GroqKey), CancellationToken.None);
        await Vault().AddAsync(old, "openai-1", "openai", KeyTier.Paid, KeyLimits.Unknown, new Secret(OpenAIKey), CancellationToken.None);
        var sealedBefore = (await new SqliteKeyVaultStore(_directory.Path).ListAsync(CancellationToken.None)).Select(r => r.Secret.Ciphertext).ToList();

        Assert.True(await Vault().RemoveAsync("openai-1", CancellationToken.None));
        await Vault().RotateAsync(old, next, CancellationToken.None);

        var files = Directory.GetFiles(_directory.Path, SqliteLedgerStore.FileName + "*");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var bytes = ReadShared(file);
            foreach (var ciphertext in sealedBefore)
            {
                Assert.Equal(-1, bytes.AsSpan().IndexOf(ciphertext));
            }
        }
    }

    [Fact]
    public async Task Schema_IsVersionedApartAndRefusesANewerOne()
    {
        using var master = MasterKey.Generate();
        await new SqliteKeyVaultStore(_directory.Path).AddAsync(Row(master, "a", GroqKey), CancellationToken.None);
        using (var ledger = new SqliteLedgerStore(_directory.Path))
        {
            await ledger.InitializeAsync(CancellationToken.None);
        }

        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, SqliteLedgerStore.FileName)};Pooling=False"))
        {
            await connection.OpenAsync();
            Assert.Equal(SqliteKeyVaultSchema.CurrentVersion, await SchemaSteps.ReadVersionAsync(connection, null, "key_vault_version", CancellationToken.None));
            await SchemaSteps.ExecuteAsync(connection, null, "UPDATE key_vault_version SET version = 99;", CancellationToken.None);
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new SqliteKeyVaultStore(_directory.Path).ListAsync(CancellationToken.None));
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
    }

    private KeyVault Vault() => new(new SqliteKeyVaultStore(_directory.Path), TimeProvider.System);

    private static ResolvedMasterKey Master(MasterKey key) => new(key, "test", FromEnvironment: false, Created: false);

    private static SealedKey Row(MasterKey master, string id, string secret) => new(
        new StoredKeyInfo(id, "groq", KeyTier.Free, KeyLimits.Unknown, secret[^4..], master.Id, DateTimeOffset.UnixEpoch),
        SecretSealer.Seal(master, secret, "groq", id));

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
