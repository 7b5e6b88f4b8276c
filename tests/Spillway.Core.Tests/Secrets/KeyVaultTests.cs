using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Providers;
using Spillway.Core.Secrets;
using Spillway.Core.Tests.Configuration.Loading;

namespace Spillway.Core.Tests.Secrets;

public sealed class KeyVaultTests : IDisposable
{
    private const string GroqKey = "gsk_0123456789abcdefghijWXYZ";
    private const string OpenAIKey = "sk-proj-9876543210zyxwvutsABCD";

    private readonly MemoryKeyVaultStore _store = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly string _data = Path.Combine(Path.GetTempPath(), "spillway-vault-" + Guid.NewGuid().ToString("N"));

    private KeyVault Vault => new(_store, _time);

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task AddThenOpenAll_GivesTheKeysBackWithTheirDescription()
    {
        using var master = FileMaster();
        await Vault.AddAsync(master, "groq-1", "groq", KeyTier.Free, new KeyLimits(Rpm: 30), new Secret(GroqKey), CancellationToken.None);
        await Vault.AddAsync(master, "openai-1", "openai", KeyTier.Paid, KeyLimits.Unknown, new Secret(OpenAIKey), CancellationToken.None);

        var keys = await Vault.OpenAllAsync(master, CancellationToken.None);

        Assert.Equal(["groq-1", "openai-1"], keys.Select(k => k.Info.Id));
        Assert.Equal(GroqKey, keys[0].Value.Reveal());
        Assert.Equal(OpenAIKey, keys[1].Value.Reveal());
        Assert.Equal(new KeyLimits(Rpm: 30), keys[0].Info.Limits);
        Assert.Equal("WXYZ", keys[0].Info.Last4);
        Assert.Equal(_time.GetUtcNow(), keys[0].Info.AddedAt);
        Assert.Equal(master.Key.Id, keys[0].Info.MasterKeyId);
    }

    [Fact]
    public async Task Add_SameIdTwice_SaysTheIdIsTaken()
    {
        using var master = FileMaster();
        await Vault.AddAsync(master, "groq-1", "groq", KeyTier.Free, KeyLimits.Unknown, new Secret(GroqKey), CancellationToken.None);

        var error = await Assert.ThrowsAsync<KeyVaultException>(() =>
            Vault.AddAsync(master, "groq-1", "groq", KeyTier.Free, KeyLimits.Unknown, new Secret(OpenAIKey), CancellationToken.None));

        Assert.Contains("'groq-1' is already stored", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAll_WithAnotherMasterKey_SaysSoAndOpensNothing()
    {
        using var master = FileMaster();
        await Vault.AddAsync(master, "groq-1", "groq", KeyTier.Free, KeyLimits.Unknown, new Secret(GroqKey), CancellationToken.None);
        using var other = EnvironmentMaster(MasterKey.Generate());

        var error = await Assert.ThrowsAsync<KeyVaultException>(() => Vault.OpenAllAsync(other, CancellationToken.None));

        Assert.StartsWith(KeyVault.WrongMasterKey, error.Message, StringComparison.Ordinal);
        Assert.Contains("SPILLWAY_MASTER_KEY", error.Message, StringComparison.Ordinal);
        Assert.Contains(master.Key.Id, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(GroqKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_UnderAnotherMasterKey_IsRefused()
    {
        using var master = FileMaster();
        await Vault.AddAsync(master, "groq-1", "groq", KeyTier.Free, KeyLimits.Unknown, new Secret(GroqKey), CancellationToken.None);
        using var other = EnvironmentMaster(MasterKey.Generate());

        var error = await Assert.ThrowsAsync<KeyVaultException>(() =>
            Vault.AddAsync(other, "openai-1", "openai", KeyTier.Paid, KeyLimits.Unknown, new Secret(OpenAIKey), CancellationToken.None));

        Assert.StartsWith(KeyVault.WrongMasterKey, error.Message, StringComparison.Ordinal);
        Assert.Single(_store.Rows);
    }

    [Fact]
    public async Task OpenAll_RowsSwapped_FailsTheIntegrityCheck()
    {
        using var master = FileMaster();
        await Vault.AddAsync(master, "groq-1", "groq", KeyTier.Free, KeyLimits.Unknown, new Secret(GroqKey), CancellationToken.None);
        await Vault.AddAsync(master, "openai-1", "openai", KeyTier.Paid, KeyLimits.Unknown, new Secret(OpenAIKey), CancellationToken.None);
        var groqSecret = _store.Rows[0].Secret;
        _store.Tamper("openai-1", row => row with { Secret = groqSecret });

        var error = await Assert.ThrowsAsync<KeyVaultException>(() => Vault.OpenAllAsync(master, CancellationToken.None));

        Assert.Contains("'openai-1' failed its integrity check", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotateMaster_KeyFile_EveryKeyOpensWithTheNewMasterAndNotTheOld()
    {
        using var before = FileMaster();
        await Vault.AddAsync(before, "groq-1", "groq", KeyTier.Free, KeyLimits.Unknown, new Secret(GroqKey), CancellationToken.None);
        await Vault.AddAsync(before, "openai-1", "openai", KeyTier.Paid, KeyLimits.Unknown, new Secret(OpenAIKey), CancellationToken.None);
        var sealedBefore = _store.Rows.Select(r => r.Secret.Ciphertext).ToList();
        _time.Advance(TimeSpan.FromDays(1));

        var result = await MasterKeyRotation.RotateAsync(Vault, _data, TestEnvironment.Empty, CancellationToken.None);

        Assert.Equal(2, result.Resealed);
        Assert.False(result.FromEnvironment);
        using var after = FileMaster();
        Assert.Equal(result.NewMasterKeyId, after.Key.Id);
        Assert.NotEqual(before.Key.Id, after.Key.Id);
        var keys = await Vault.OpenAllAsync(after, CancellationToken.None);
        Assert.Equal([GroqKey, OpenAIKey], keys.Select(k => k.Value.Reveal()));
        Assert.All(keys, k => Assert.Equal(_time.GetUtcNow(), k.Info.RotatedAt));
        Assert.NotEqual(sealedBefore, _store.Rows.Select(r => r.Secret.Ciphertext).ToList());
        var error = await Assert.ThrowsAsync<KeyVaultException>(() => Vault.OpenAllAsync(before, CancellationToken.None));
        Assert.StartsWith(KeyVault.WrongMasterKey, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_data, MasterKeyFile.FileName + ".new")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_data, MasterKeyFile.FileName)));
        }
    }

    [Fact]
    public async Task RotateMaster_Variable_TakesTheNewKeyFromTheNewVariable()
    {
        using var old = MasterKey.Generate();
        using var next = MasterKey.Generate();
        using var current = EnvironmentMaster(old);
        await Vault.AddAsync(current, "groq-1", "groq", KeyTier.Free, KeyLimits.Unknown, new Secret(GroqKey), CancellationToken.None);
        var environment = TestEnvironment.Of((MasterKeySource.Variable, old.ToBase64()), (MasterKeySource.NewVariable, next.ToBase64()));

        var result = await MasterKeyRotation.RotateAsync(Vault, _data, environment, CancellationToken.None);

        Assert.True(result.FromEnvironment);
        Assert.Equal(next.Id, result.NewMasterKeyId);
        using var rotated = EnvironmentMaster(next);
        Assert.Equal(GroqKey, (await Vault.OpenAllAsync(rotated, CancellationToken.None)).Single().Value.Reveal());
        Assert.False(File.Exists(Path.Combine(_data, MasterKeyFile.FileName)));
    }

    [Fact]
    public async Task RotateMaster_VariableWithoutANewOne_SaysWhereToPutIt()
    {
        using var old = MasterKey.Generate();
        using var current = EnvironmentMaster(old);
        await Vault.AddAsync(current, "groq-1", "groq", KeyTier.Free, KeyLimits.Unknown, new Secret(GroqKey), CancellationToken.None);

        var error = await Assert.ThrowsAsync<KeyVaultException>(() =>
            MasterKeyRotation.RotateAsync(Vault, _data, TestEnvironment.Of((MasterKeySource.Variable, old.ToBase64())), CancellationToken.None));

        Assert.Contains(MasterKeySource.NewVariable, error.Message, StringComparison.Ordinal);
        Assert.Equal(old.Id, _store.Rows.Single().Info.MasterKeyId);
    }

    [Fact]
    public async Task RotateMaster_OneRowDoesNotOpen_ChangesNoRowAndKeepsTheKeyFile()
    {
        using var before = FileMaster();
        await Vault.AddAsync(before, "groq-1", "groq", KeyTier.Free, KeyLimits.Unknown, new Secret(GroqKey), CancellationToken.None);
        await Vault.AddAsync(before, "openai-1", "openai", KeyTier.Paid, KeyLimits.Unknown, new Secret(OpenAIKey), CancellationToken.None);
        _store.Tamper("openai-1", row => row with { Secret = row.Secret with { Tag = new byte[SecretSealer.TagLength] } });
        var rowsBefore = _store.Rows;

        await Assert.ThrowsAsync<KeyVaultException>(() => MasterKeyRotation.RotateAsync(Vault, _data, TestEnvironment.Empty, CancellationToken.None));

        Assert.Equal(rowsBefore, _store.Rows);
        using var still = FileMaster();
        Assert.Equal(before.Key.Id, still.Key.Id);
        Assert.False(File.Exists(Path.Combine(_data, MasterKeyFile.FileName + ".new")));
    }

    private ResolvedMasterKey FileMaster() =>
        MasterKeySource.Resolve(_data, TestEnvironment.Empty, [], create: true)!;

    private static ResolvedMasterKey EnvironmentMaster(MasterKey key) =>
        new(key, MasterKeySource.Variable, FromEnvironment: true, Created: false);
}
