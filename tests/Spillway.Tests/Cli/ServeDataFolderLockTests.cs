using System.Net;
using Spillway.TestSupport;

namespace Spillway.Tests.Cli;

/// <summary>One <c>spillway serve</c> per data folder; the other commands keep working beside it.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ServeDataFolderLockTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private string Data => Path.Combine(_temp.Path, "data");

    [Fact]
    public async Task Serve_DataFolderServedByAnother_ExitsNonZeroSayingWhatToDoWhileTheFirstServes()
    {
        var config = await ConfigAsync();
        await using var first = await ServeRun.StartAsync("--config", config, "--port", "0", "--data", Data);

        // Were the folder not locked, this serve would run on: the limit turns that into a failure.
        var (exit, stdout, stderr) = await CliRun.RunAsync("serve", "--config", config, "--port", "0", "--data", Data).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(2, exit);
        Assert.DoesNotContain("listening", stdout, StringComparison.OrdinalIgnoreCase);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"spillway: another Spillway is already serving from the data folder {Data} ", line, StringComparison.Ordinal);
        Assert.Contains("--data", line, StringComparison.Ordinal);
        Assert.Contains("PostgreSQL and Redis", line, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = first.Address };
        using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Serve_AfterTheFirstStops_ANewOneStartsOnTheSameFolder()
    {
        var config = await ConfigAsync();
        var first = await ServeRun.StartAsync("--config", config, "--port", "0", "--data", Data);
        var (firstExit, _, _) = await first.StopAsync();
        await first.DisposeAsync();

        await using var second = await ServeRun.StartAsync("--config", config, "--port", "0", "--data", Data);

        Assert.Equal(0, firstExit);
        using var http = new HttpClient { BaseAddress = second.Address };
        using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task ReadAndSmallWriteCommands_WhileServeRuns_KeepWorking()
    {
        var config = await ConfigAsync();
        await using var serve = await ServeRun.StartAsync("--config", config, "--port", "0", "--data", Data);

        var added = await CliRun.RunAsync("clients", "add", "--id", "team-lock", "--data", Data);
        var keys = await CliRun.RunAsync("keys", "list", "--data", Data);
        var clients = await CliRun.RunAsync("clients", "list", "--data", Data);
        var usage = await CliRun.RunAsync("usage", "--data", Data);
        var check = await CliRun.RunAsync("config", "check", "--config", config, "--data", Data);

        Assert.True(added.Exit == 0, added.Stderr);
        Assert.True(keys.Exit == 0, keys.Stderr);
        Assert.True(clients.Exit == 0, clients.Stderr);
        Assert.Contains("team-lock", clients.Stdout, StringComparison.Ordinal);
        Assert.True(usage.Exit == 0, usage.Stderr);
        Assert.True(check.Exit == 0, check.Stderr);
    }

    [Fact]
    public async Task Serve_Demo_TakesNoLockOnTheDataFolder()
    {
        var config = await ConfigAsync();
        await using var demo = await ServeRun.StartAsync("--demo", "--port", "0", "--data", Data);

        await using var real = await ServeRun.StartAsync("--config", config, "--port", "0", "--data", Data);

        Assert.NotEqual(demo.Address, real.Address);
    }

    private async Task<string> ConfigAsync()
    {
        var file = Path.Combine(_temp.Path, "spillway.yaml");
        await File.WriteAllTextAsync(
            file, "providers:\n  - id: openai\n    preset: openai\n    base_url: http://127.0.0.1:1/v1\n    keys: [{ id: openai-1, value: sk-lock-test-0123456789, tier: paid }]\n");
        return file;
    }
}
