using System.Diagnostics;
using System.Text.Json;
using Spillway.Cli;
using Spillway.Storage.Sqlite;
using Spillway.Tests.Support;
using Spillway.TestSupport;

namespace Spillway.Tests.Cli;

/// <summary>
/// One data folder for every command, whatever folder the program was started from: <c>--data</c>, else
/// <c>SPILLWAY_DATA</c>, else the user's data folder; always absolute, and printed by every command.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class DataFolderTests : IDisposable
{
    private const string GroqKey = "gsk_data_folder_test_0123456789LMNO";

    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    [Fact]
    public void Resolve_DataGiven_WinsOverVariableAndUserFolder()
    {
        var folder = DataFolder.Resolve(Path.Combine(_temp.Path, "given"), Environment(("SPILLWAY_DATA", "/elsewhere"), ("HOME", "/home/u")));

        Assert.Equal(Path.Combine(_temp.Path, "given"), folder);
    }

    [Fact]
    public void Resolve_VariableSet_WinsOverUserFolder()
    {
        var folder = DataFolder.Resolve(null, Environment(("SPILLWAY_DATA", Path.Combine(_temp.Path, "moved")), ("HOME", "/home/u"), ("XDG_DATA_HOME", "/xdg")));

        Assert.Equal(Path.Combine(_temp.Path, "moved"), folder);
    }

    [Fact]
    public void Resolve_VariableEmpty_IsTheUserFolder()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var folder = DataFolder.Resolve(null, Environment(("SPILLWAY_DATA", string.Empty), ("HOME", "/home/u")));

        Assert.Equal("/home/u/.local/share/spillway", folder);
    }

    [Fact]
    public void Resolve_XdgDataHomeSet_IsUsedBeforeHome()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Assert.Equal("/xdg/spillway", DataFolder.Resolve(null, Environment(("XDG_DATA_HOME", "/xdg"), ("HOME", "/home/u"))));

        // The XDG spec says a relative XDG_DATA_HOME is invalid and to be ignored.
        Assert.Equal("/home/u/.local/share/spillway", DataFolder.Resolve(null, Environment(("XDG_DATA_HOME", "relative/xdg"), ("HOME", "/home/u"))));
    }

    [Fact]
    public void Resolve_RelativeDataOrVariable_IsMadeAbsoluteAgainstTheCurrentFolder()
    {
        var fromFlag = DataFolder.Resolve("some/data", Environment());
        var fromVariable = DataFolder.Resolve(null, Environment(("SPILLWAY_DATA", "other-data")));

        Assert.Equal(Path.Combine(System.Environment.CurrentDirectory, "some", "data"), fromFlag);
        Assert.Equal(Path.Combine(System.Environment.CurrentDirectory, "other-data"), fromVariable);
    }

    [Fact]
    public async Task Cli_RelativeData_PrintsTheAbsoluteFolder()
    {
        var relative = Path.GetRelativePath(System.Environment.CurrentDirectory, Path.Combine(_temp.Path, "rel"));

        var (exit, stdout, _) = await CliRun.RunAsync("keys", "list", "--data", relative);

        Assert.Equal(0, exit);
        Assert.StartsWith("data: " + Path.Combine(_temp.Path, "rel") + System.Environment.NewLine, stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("usage")]
    [InlineData("keys list")]
    [InlineData("keys remove no-such-key")]
    [InlineData("keys rotate-master")]
    [InlineData("clients list")]
    [InlineData("clients add --id team-a")]
    [InlineData("clients remove no-such-client")]
    [InlineData("models --config {catalog}")]
    [InlineData("config check --config {config}")]
    public async Task Command_AnyOutcome_PrintsItsDataFolderFirst(string command)
    {
        var data = Path.Combine(_temp.Path, "data");
        var config = await DeadEndConfigAsync();
        var catalog = Path.Combine(_temp.Path, "catalog.yaml");
        await File.WriteAllTextAsync(catalog, "catalog:\n  openrouter: { base_url: http://127.0.0.1:1/api/v1, refresh_minutes: 60 }\n");
        string[] args = [.. command.Split(' ').Select(a => a.Replace("{config}", config, StringComparison.Ordinal).Replace("{catalog}", catalog, StringComparison.Ordinal)), "--data", data];

        var (_, stdout, _) = await CliRun.RunAsync(args);

        Assert.StartsWith("data: " + data + System.Environment.NewLine, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysAdd_PrintsItsDataFolderFirst()
    {
        var data = Path.Combine(_temp.Path, "data");

        var (exit, stdout, _) = await CliRun.RunWithInputAsync(GroqKey, "keys", "add", "--provider", "groq", "--id", "groq-1", "--data", data);

        Assert.Equal(0, exit);
        Assert.StartsWith("data: " + data + System.Environment.NewLine, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_Banner_NamesTheDataFolder()
    {
        var data = Path.Combine(_temp.Path, "data");
        var config = await DeadEndConfigAsync();

        string stdout;
        await using (var serve = await ServeRun.StartAsync("--config", config, "--urls", "http://127.0.0.1:0", "--data", data))
        {
            (_, stdout, _) = await serve.StopAsync();
        }

        Assert.Contains(System.Environment.NewLine + "data: " + data + System.Environment.NewLine, stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data, SqliteLedgerStore.FileName)));
    }

    /// <summary>
    /// The bug this folder rule fixes: data used to land in <c>./.spillway</c> of whatever folder the program ran
    /// in, so a key added from one folder was missing from another. Run as a user runs it, as a child process.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Program_KeyAddedFromOneFolder_IsListedFromAnother(bool xdgDataHome)
    {
        var home = Directory.CreateDirectory(Path.Combine(_temp.Path, "home")).FullName;
        var xdg = Path.Combine(_temp.Path, "xdg");
        var first = Directory.CreateDirectory(Path.Combine(_temp.Path, "first")).FullName;
        var second = Directory.CreateDirectory(Path.Combine(_temp.Path, "second")).FullName;
        var expected = xdgDataHome ? Path.Combine(xdg, "spillway") : Path.Combine(home, ".local", "share", "spillway");

        var added = await RunProgramAsync(first, home, xdgDataHome ? xdg : null, "keys", "add", "--provider", "groq", "--id", "groq-moved", "--from-env", "SPILLWAY_TEST_GROQ_KEY");
        var listed = await RunProgramAsync(second, home, xdgDataHome ? xdg : null, "keys", "list", "--json");

        Assert.True(added.Exit == 0, added.Stderr);
        Assert.StartsWith("data: " + expected, added.Stdout, StringComparison.Ordinal);
        Assert.True(listed.Exit == 0, listed.Stderr);
        Assert.Equal("data: " + expected, listed.Stderr.Trim());
        using var json = JsonDocument.Parse(listed.Stdout);
        var key = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("groq-moved", key.GetProperty("id").GetString());
        Assert.True(File.Exists(Path.Combine(expected, SqliteLedgerStore.FileName)));
        Assert.False(Directory.Exists(Path.Combine(first, ".spillway")));
        Assert.DoesNotContain(GroqKey, added.Stdout + added.Stderr + listed.Stdout + listed.Stderr, StringComparison.Ordinal);
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    /// <summary>A valid config whose one provider is a closed loopback port (nothing here calls it); <c>models</c> reads no catalog from it.</summary>
    private async Task<string> DeadEndConfigAsync()
    {
        var file = Path.Combine(_temp.Path, "spillway.yaml");
        await File.WriteAllTextAsync(
            file,
            "providers:\n  - id: local\n    format: openai\n    base_url: http://127.0.0.1:1/v1\n    keys: [{ id: local-1, value: sk-local-0123456789, tier: free }]\n"
            + "models:\n  - id: chain\n    route: [local/model-a]\n");
        return file;
    }

    /// <summary>Runs the built <c>spillway</c> in <paramref name="workingDirectory"/> with only a temp home to find its data in.</summary>
    private static async Task<(int Exit, string Stdout, string Stderr)> RunProgramAsync(
        string workingDirectory, string home, string? xdgDataHome, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "spillway.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { DataFolder.Variable, "XDG_DATA_HOME", "SPILLWAY_MASTER_KEY", "SPILLWAY_NEW_MASTER_KEY" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["HOME"] = home;
        if (xdgDataHome is not null)
        {
            start.Environment["XDG_DATA_HOME"] = xdgDataHome;
        }

        start.Environment["SPILLWAY_TEST_GROQ_KEY"] = GroqKey;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("spillway did not start.");
        process.StandardInput.Close();
        return await ChildProcessRunner.RunAsync(process, TimeSpan.FromMinutes(1), "spillway " + string.Join(' ', args));
    }

    /// <summary>The <c>dotnet</c> host running these tests (or the one on the PATH).</summary>
    private static string DotnetHost()
    {
        if (System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        var current = System.Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
