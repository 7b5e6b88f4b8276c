using System.Text;
using Spillway.Core.Providers;
using Spillway.Core.Secrets;

namespace Spillway.Storage.Postgres.Tests;

public sealed class PostgresKeyVaultStoreTests(PostgresServerFixture fixture) : PostgresTest(fixture)
{
    private const string GroqKey = "gsk_0123456789abcdefghijWXYZ";
    private const string OpenAIKey = "sk-proj-9876543210zyxwvutsABCD";

    [Fact]
    public async Task AddThenOpenAll_FromAnotherInstance_RoundTripsEveryField()
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
    public async Task Add_StoresSealedBytesOnly_NeverTheKeyInClear()
    {
        using var master = Master(MasterKey.Generate());
        await Vault().AddAsync(master, "groq-1", "groq", KeyTier.Free, KeyLimits.Unknown, new Secret(GroqKey), CancellationToken.None);

        var rows = await QueryAsync("SELECT t::text, nonce || ciphertext || tag FROM vault_keys AS t;", r => (Text: r.GetString(0), Bytes: r.GetFieldValue<byte[]>(1)));

        var row = Assert.Single(rows);
        Assert.DoesNotContain(GroqKey, row.Text, StringComparison.Ordinal);
        Assert.Equal(-1, row.Bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(GroqKey)));
        Assert.Contains("WXYZ", row.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAndRemove_NothingStored_EmptyAndFalse()
    {
        var store = Create().KeyVault;

        Assert.Empty(await store.ListAsync(CancellationToken.None));
        Assert.False(await store.RemoveAsync("x", CancellationToken.None));
    }

    [Fact]
    public async Task Add_TakenId_ReturnsFalse()
    {
        using var master = MasterKey.Generate();
        var store = Create().KeyVault;
        var row = Row(master, "groq-1", GroqKey);

        Assert.True(await store.AddAsync(row, CancellationToken.None));
        Assert.False(await store.AddAsync(row, CancellationToken.None));
    }

    [Fact]
    public async Task Remove_StoredKey_GoneForEveryInstance()
    {
        using var master = MasterKey.Generate();
        await Create().KeyVault.AddAsync(Row(master, "a", GroqKey), CancellationToken.None);
        await Create().KeyVault.AddAsync(Row(master, "b", OpenAIKey), CancellationToken.None);

        Assert.True(await Create().KeyVault.RemoveAsync("a", CancellationToken.None));

        Assert.Equal(["b"], (await Create().KeyVault.ListAsync(CancellationToken.None)).Select(k => k.Info.Id));
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
        var store = Create().KeyVault;
        await store.AddAsync(Row(master, "a", GroqKey), CancellationToken.None);
        await store.AddAsync(Row(master, "b", OpenAIKey), CancellationToken.None);
        var before = await store.ListAsync(CancellationToken.None);

        var calls = 0;
        await Assert.ThrowsAsync<KeyVaultException>(() => store.RewriteAllAsync(
            row => ++calls == 2 ? throw new KeyVaultException("no") : row with { Info = row.Info with { MasterKeyId = "changed" } },
            CancellationToken.None));

        var after = await store.ListAsync(CancellationToken.None);
        Assert.Equal(before.Select(r => r.Info), after.Select(r => r.Info));
        Assert.Equal(before.Select(r => r.Secret.Ciphertext), after.Select(r => r.Secret.Ciphertext));
    }

    [Fact]
    public async Task RewriteAll_ChangesAnId_ThrowsAndNoRowChanges()
    {
        using var master = MasterKey.Generate();
        var store = Create().KeyVault;
        await store.AddAsync(Row(master, "a", GroqKey), CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.RewriteAllAsync(
            row => row with { Info = row.Info with { Id = "renamed", MasterKeyId = "changed" } }, CancellationToken.None));

        Assert.Equal(master.Id, Assert.Single(await store.ListAsync(CancellationToken.None)).Info.MasterKeyId);
    }

    private KeyVault Vault() => new(Create().KeyVault, TimeProvider.System);

    private static ResolvedMasterKey Master(MasterKey key) => new(key, "test", FromEnvironment: false, Created: false);

    private static SealedKey Row(MasterKey master, string id, string secret) => new(
        new StoredKeyInfo(id, "groq", KeyTier.Free, KeyLimits.Unknown, secret[^4..], master.Id, DateTimeOffset.UnixEpoch),
        SecretSealer.Seal(master, secret, "groq", id));
}
