using Spillway.Core.Secrets;
using Spillway.Storage.Sqlite;
using Spillway.TestSupport;

namespace Spillway.Tests.Cli;

/// <summary><c>spillway keys add|list|remove|rotate-master</c> through the CLI entry, with the key on stdin.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class KeysCommandTests : IDisposable
{
    private const string GroqKey = "gsk_cli_test_0123456789abcdefWXYZ";
    private const string OpenAIKey = "sk-proj-cli-test-9876543210QRST";

    private readonly TempDirectory _data = new(create: false);

    private string KeyFile => Path.Combine(_data.Path, MasterKeyFile.FileName);

    public void Dispose()
    {
        _data.Dispose();
    }

    [Fact]
    public async Task AddThenList_KeyOnStdin_ListShowsIdProviderTierAndLastFourButNeverTheKey()
    {
        var added = await RunAsync(GroqKey + "\n", "keys", "add", "--provider", "groq", "--id", "groq-cli", "--rpd", "500", "--data", _data.Path);
        var listed = await RunAsync(string.Empty, "keys", "list", "--data", _data.Path);

        Assert.Equal(0, added.Exit);
        Assert.Empty(added.Error);
        Assert.Contains("Created the master key", added.Output, StringComparison.Ordinal);
        Assert.Equal(0, listed.Exit);
        var row = Assert.Single(listed.Output.Split('\n'), l => l.Contains("groq-cli", StringComparison.Ordinal));
        Assert.Contains("groq", row, StringComparison.Ordinal);
        Assert.Contains("free", row, StringComparison.Ordinal);
        Assert.Contains("…WXYZ", row, StringComparison.Ordinal);
        Assert.Contains("rpd 500", row, StringComparison.Ordinal);
        foreach (var output in new[] { added.Output, added.Error, listed.Output, listed.Error })
        {
            Assert.DoesNotContain(GroqKey, output, StringComparison.Ordinal);
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        }

        Assert.Equal([GroqKey], await OpenAllAsync());
    }

    [Fact]
    public async Task List_Json_StdoutIsJsonWithIdTierLastFourAndLimitsButNeverTheKey()
    {
        await RunAsync(GroqKey, "keys", "add", "--provider", "groq", "--id", "groq-cli", "--rpd", "500", "--data", _data.Path);

        var listed = await RunAsync(string.Empty, "keys", "list", "--json", "--data", _data.Path);

        Assert.Equal(0, listed.Exit);
        Assert.Equal("data: " + _data.Path, listed.Error.Trim());
        Assert.DoesNotContain(GroqKey, listed.Output, StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(listed.Output);
        var key = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("groq-cli", key.GetProperty("id").GetString());
        Assert.Equal("groq", key.GetProperty("provider").GetString());
        Assert.Equal("free", key.GetProperty("tier").GetString());
        Assert.Equal("…WXYZ", key.GetProperty("secret_hint").GetString());
        Assert.Equal(500, key.GetProperty("limits").GetProperty("rpd").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, key.GetProperty("limits").GetProperty("rpm").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, key.GetProperty("rotated_at").ValueKind);
        Assert.True(key.GetProperty("added_at").TryGetDateTimeOffset(out _));
    }

    [Fact]
    public async Task List_JsonWithNothingStored_IsAnEmptyArray()
    {
        var listed = await RunAsync(string.Empty, "keys", "list", "--json", "--data", _data.Path);

        Assert.Equal(0, listed.Exit);
        Assert.Equal("[]", listed.Output.Trim());
    }

    [Fact]
    public async Task Add_FromEnv_ReadsTheNamedVariable()
    {
        var variable = "SPILLWAY_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, OpenAIKey);
        try
        {
            var added = await RunAsync(string.Empty, "keys", "add", "--provider", "openai", "--id", "openai-cli", "--from-env", variable, "--data", _data.Path);

            Assert.Equal(0, added.Exit);
            Assert.Contains("(paid, …QRST)", added.Output, StringComparison.Ordinal);
            Assert.Equal([OpenAIKey], await OpenAllAsync());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("two keys\n")]
    public async Task Add_NoUsableKeyOnStdin_OneLineExitOneAndNothingStored(string stdin)
    {
        var added = await RunAsync(stdin, "keys", "add", "--provider", "groq", "--id", "groq-cli", "--data", _data.Path);

        Assert.Equal(1, added.Exit);
        Assert.Single(added.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("spillway: ", added.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_data.Path, SqliteLedgerStore.FileName)));
        Assert.False(File.Exists(KeyFile));
    }

    [Fact]
    public async Task Add_TakenId_ExitOneWithOneLine()
    {
        await RunAsync(GroqKey, "keys", "add", "--provider", "groq", "--id", "groq-cli", "--data", _data.Path);

        var again = await RunAsync(OpenAIKey, "keys", "add", "--provider", "openai", "--id", "groq-cli", "--data", _data.Path);

        Assert.Equal(1, again.Exit);
        Assert.Equal("spillway: a key with id 'groq-cli' is already stored (spillway keys remove groq-cli first, or choose another --id)", again.Error.Trim());
    }

    [Fact]
    public async Task Add_KeyFileOpenToOthers_IsRefused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await RunAsync(GroqKey, "keys", "add", "--provider", "groq", "--id", "groq-cli", "--data", _data.Path);
        File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var refused = await RunAsync(OpenAIKey, "keys", "add", "--provider", "openai", "--id", "openai-cli", "--data", _data.Path);

        Assert.Equal(1, refused.Exit);
        Assert.Contains("open to other users (mode 644)", refused.Error, StringComparison.Ordinal);
        Assert.Contains("chmod 600", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_StoredKey_IsGoneAndAnUnknownOneIsAnError()
    {
        await RunAsync(GroqKey, "keys", "add", "--provider", "groq", "--id", "groq-cli", "--data", _data.Path);
        await RunAsync(OpenAIKey, "keys", "add", "--provider", "openai", "--id", "openai-cli", "--data", _data.Path);

        var removed = await RunAsync(string.Empty, "keys", "remove", "groq-cli", "--data", _data.Path);
        var missing = await RunAsync(string.Empty, "keys", "remove", "groq-cli", "--data", _data.Path);
        var listed = await RunAsync(string.Empty, "keys", "list", "--data", _data.Path);

        Assert.Equal(0, removed.Exit);
        Assert.Equal(1, missing.Exit);
        Assert.Contains("no stored key 'groq-cli'", missing.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("groq-cli", listed.Output, StringComparison.Ordinal);
        Assert.Contains("openai-cli", listed.Output, StringComparison.Ordinal);
        Assert.Equal([OpenAIKey], await OpenAllAsync());
    }

    [Fact]
    public async Task RotateMaster_KeyFile_ReplacesTheFileAndOnlyTheNewKeyOpensTheKeys()
    {
        await RunAsync(GroqKey, "keys", "add", "--provider", "groq", "--id", "groq-cli", "--data", _data.Path);
        await RunAsync(OpenAIKey, "keys", "add", "--provider", "openai", "--id", "openai-cli", "--data", _data.Path);
        var oldKeyFile = await File.ReadAllTextAsync(KeyFile);

        var rotated = await RunAsync(string.Empty, "keys", "rotate-master", "--data", _data.Path);

        Assert.Equal(0, rotated.Exit);
        Assert.Contains("Sealed 2 stored keys under a new master key", rotated.Output, StringComparison.Ordinal);
        Assert.NotEqual(oldKeyFile, await File.ReadAllTextAsync(KeyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        }

        Assert.Equal([GroqKey, OpenAIKey], await OpenAllAsync());
        Assert.True(MasterKey.TryParse(oldKeyFile, out var old));
        using var oldMaster = new ResolvedMasterKey(old, "the old key file", FromEnvironment: false, Created: false);
        var error = await Assert.ThrowsAsync<KeyVaultException>(() => Vault().OpenAllAsync(oldMaster, CancellationToken.None));
        Assert.StartsWith(KeyVault.WrongMasterKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotateMaster_Variable_TakesTheNewVariableAndSaysToUpdateTheOld()
    {
        using var old = MasterKey.Generate();
        using var next = MasterKey.Generate();
        Environment.SetEnvironmentVariable(MasterKeySource.Variable, old.ToBase64());
        try
        {
            await RunAsync(GroqKey, "keys", "add", "--provider", "groq", "--id", "groq-cli", "--data", _data.Path);
            var withoutNew = await RunAsync(string.Empty, "keys", "rotate-master", "--data", _data.Path);
            Environment.SetEnvironmentVariable(MasterKeySource.NewVariable, next.ToBase64());
            var rotated = await RunAsync(string.Empty, "keys", "rotate-master", "--data", _data.Path);

            Assert.Equal(1, withoutNew.Exit);
            Assert.Contains(MasterKeySource.NewVariable, withoutNew.Error, StringComparison.Ordinal);
            Assert.Equal(0, rotated.Exit);
            Assert.Contains($"Now set {MasterKeySource.Variable} to that value", rotated.Output, StringComparison.Ordinal);
            Assert.False(File.Exists(KeyFile));
            using var master = new ResolvedMasterKey(next, MasterKeySource.NewVariable, FromEnvironment: true, Created: false);
            Assert.Equal(GroqKey, (await Vault().OpenAllAsync(master, CancellationToken.None)).Single().Value.Reveal());
        }
        finally
        {
            Environment.SetEnvironmentVariable(MasterKeySource.Variable, null);
            Environment.SetEnvironmentVariable(MasterKeySource.NewVariable, null);
        }
    }

    [Fact]
    public async Task Add_WithAnotherMasterKeyThanTheStoredKeys_SaysSoInOneLine()
    {
        await RunAsync(GroqKey, "keys", "add", "--provider", "groq", "--id", "groq-cli", "--data", _data.Path);
        using var other = MasterKey.Generate();
        Environment.SetEnvironmentVariable(MasterKeySource.Variable, other.ToBase64());
        try
        {
            var refused = await RunAsync(OpenAIKey, "keys", "add", "--provider", "openai", "--id", "openai-cli", "--data", _data.Path);

            Assert.Equal(1, refused.Exit);
            var line = Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("spillway: " + KeyVault.WrongMasterKey, line, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(MasterKeySource.Variable, null);
        }
    }

    private KeyVault Vault() => new(new SqliteKeyVaultStore(_data.Path), TimeProvider.System);

    private async Task<string[]> OpenAllAsync()
    {
        var vault = Vault();
        var stored = await vault.ListAsync(CancellationToken.None);
        using var master = MasterKeySource.Resolve(_data.Path, new Dictionary<string, string?>(), [.. stored.Select(k => k.MasterKeyId)], create: false)!;
        return [.. (await vault.OpenAllAsync(master, CancellationToken.None)).Select(k => k.Value.Reveal())];
    }

    private static Task<(int Exit, string Output, string Error)> RunAsync(string stdin, params string[] args)
    {
        // The key is read from stdin only when stdin is not a terminal, as under the test host.
        Assert.True(Console.IsInputRedirected, "these tests feed the key through a redirected stdin");
        return CliRun.RunWithInputAsync(stdin, args);
    }
}
