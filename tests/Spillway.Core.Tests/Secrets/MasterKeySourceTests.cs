using Spillway.Core.Secrets;
using Spillway.Core.Tests.Configuration.Loading;

namespace Spillway.Core.Tests.Secrets;

public sealed class MasterKeySourceTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "spillway-master-" + Guid.NewGuid().ToString("N"));

    private string KeyFile => Path.Combine(_data, MasterKeyFile.FileName);

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public void Resolve_NoVariableNoFile_CreatesAnOwnerOnlyKeyFile()
    {
        using var created = MasterKeySource.Resolve(_data, TestEnvironment.Empty, [], create: true);

        Assert.NotNull(created);
        Assert.True(created.Created);
        Assert.False(created.FromEnvironment);
        Assert.Equal(KeyFile, created.Origin);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        }

        using var again = MasterKeySource.Resolve(_data, TestEnvironment.Empty, [created.Key.Id], create: true);
        Assert.False(again!.Created);
        Assert.Equal(created.Key.Id, again.Key.Id);
        Assert.Empty(Directory.GetFiles(_data, "*.tmp"));
    }

    [Fact]
    public void Resolve_NotToCreate_LeavesNothingBehind()
    {
        Assert.Null(MasterKeySource.Resolve(_data, TestEnvironment.Empty, [], create: false));
        Assert.False(File.Exists(KeyFile));
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.GroupWrite)]
    public void Resolve_KeyFileOpenToOthers_IsRefusedWithTheFixInTheMessage(UnixFileMode extra)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using (MasterKeySource.Resolve(_data, TestEnvironment.Empty, [], create: true))
        {
        }

        File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);

        var error = Assert.Throws<KeyVaultException>(() => MasterKeySource.Resolve(_data, TestEnvironment.Empty, [], create: true));

        Assert.Contains(KeyFile, error.Message, StringComparison.Ordinal);
        Assert.Contains("open to other users", error.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_GarbageKeyFile_SaysItIsNotAMasterKey()
    {
        Directory.CreateDirectory(_data);
        File.WriteAllText(KeyFile, "not a key\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var error = Assert.Throws<KeyVaultException>(() => MasterKeySource.Resolve(_data, TestEnvironment.Empty, [], create: true));

        Assert.Contains("is not a Spillway master key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not a key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_VariableSet_WinsOverTheFileAndCreatesNothing()
    {
        using var master = MasterKey.Generate();

        using var resolved = MasterKeySource.Resolve(_data, TestEnvironment.Of((MasterKeySource.Variable, master.ToBase64())), [], create: true);

        Assert.True(resolved!.FromEnvironment);
        Assert.Equal(master.Id, resolved.Key.Id);
        Assert.False(File.Exists(KeyFile));
    }

    [Fact]
    public void Resolve_VariableNotAKey_SaysWhatAMasterKeyLooksLike()
    {
        var environment = TestEnvironment.Of((MasterKeySource.Variable, "hunter2-is-my-passphrase"));

        var error = Assert.Throws<KeyVaultException>(() => MasterKeySource.Resolve(_data, environment, [], create: true));

        Assert.Contains("SPILLWAY_MASTER_KEY is not a master key", error.Message, StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_StoredKeysButNoMasterKey_SaysSoInsteadOfMakingANewOne()
    {
        var error = Assert.Throws<KeyVaultException>(() => MasterKeySource.Resolve(_data, TestEnvironment.Empty, ["0123456789abcdef"], create: true));

        Assert.Contains("no master key", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(KeyFile));
    }

    [Fact]
    public void Resolve_RotationStoppedAfterTheCommit_FinishesTheSwap()
    {
        using var old = MasterKey.Generate();
        using var next = MasterKey.Generate();
        Assert.True(MasterKeyFile.TryCreate(KeyFile, old));
        MasterKeyFile.WritePending(KeyFile, next);

        using var resolved = MasterKeySource.Resolve(_data, TestEnvironment.Empty, [next.Id], create: false);

        Assert.Equal(next.Id, resolved!.Key.Id);
        Assert.False(File.Exists(KeyFile + ".new"));
        using var reread = MasterKeyFile.Read(KeyFile);
        Assert.Equal(next.Id, reread.Id);
    }

    [Fact]
    public void Resolve_RotationStoppedBeforeTheCommit_KeepsTheOldKey()
    {
        using var old = MasterKey.Generate();
        using var next = MasterKey.Generate();
        Assert.True(MasterKeyFile.TryCreate(KeyFile, old));
        MasterKeyFile.WritePending(KeyFile, next);

        using var resolved = MasterKeySource.Resolve(_data, TestEnvironment.Empty, [old.Id], create: false);

        Assert.Equal(old.Id, resolved!.Key.Id);
    }
}
