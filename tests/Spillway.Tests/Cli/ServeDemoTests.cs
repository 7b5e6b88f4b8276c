using System.Net;
using Microsoft.Data.Sqlite;
using Spillway.Core.Chat;
using Spillway.Core.Engine;
using Spillway.Core.Ledger;
using Spillway.Storage.Sqlite;
using Spillway.TestSupport;

namespace Spillway.Tests.Cli;

/// <summary><c>spillway serve --demo</c> starts fresh each run in a folder of its own and leaves the user's data alone.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ServeDemoTests : IDisposable
{
    private const string BannerDataLine = "Demo data (ledger, quotas) lives in ";

    private readonly TempDirectory _data = new(create: false);

    public void Dispose()
    {
        _data.Dispose();
    }

    [Fact]
    public async Task Serve_DemoRunTwice_FallsBackTheSameWayEachRunAndDiscardsItsFolder()
    {
        var (first, firstFolder) = await RunDemoAsync();
        var (second, secondFolder) = await RunDemoAsync();

        // The demo's own first requests spent Gemini's per-minute tier (the last fell back): the user's first
        // request finds it cooling and is served by the next free tier.
        Assert.Equal("demo-groq/llama-3.3-70b-versatile", first[0]);
        Assert.DoesNotContain("demo-gemini/gemini-2.5-flash", first);
        Assert.Equal("demo-openai/gpt-4o-mini", first[^1]);
        Assert.Equal(first, second);
        Assert.NotEqual(firstFolder, secondFolder);
        Assert.False(Directory.Exists(firstFolder));
        Assert.False(Directory.Exists(secondFolder));
    }

    [Fact]
    public async Task Serve_Demo_OpensWithItsOwnFirstRequestsInTheLedger()
    {
        await using var serve = await ServeRun.StartAsync("--demo", "--urls", "http://127.0.0.1:0", "--data", _data.Path);
        using var http = new HttpClient { BaseAddress = serve.Address };

        using var ledger = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/admin/requests"));

        var entries = ledger.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, entries.Count);
        Assert.Contains(entries, e => e.GetProperty("client_format").GetString() == "anthropic");
        var fellBack = Assert.Single(entries, e => e.GetProperty("attempts").GetArrayLength() > 1);
        Assert.Equal(
            ["rate_limited", "ok"],
            fellBack.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("outcome").GetString()));
        await serve.StopAsync();
    }

    [Fact]
    public async Task Serve_DemoWithDataFolderOfRealUse_LeavesItUntouched()
    {
        using (var store = new SqliteLedgerStore(_data.Path))
        {
            await store.InitializeAsync(CancellationToken.None);
            await store.AppendAsync([Served("real-1", "groq/llama-3.3-70b-versatile")], CancellationToken.None);
        }

        var before = Snapshot(_data.Path);

        var (routes, _, stdout) = await RunDemoWithBannerAsync();

        Assert.Contains("demo-openai/gpt-4o-mini", routes);
        Assert.Contains($"The data folder {_data.Path} is left untouched in demo mode.", stdout, StringComparison.Ordinal);
        Assert.Contains("The demo made 3 requests of its own at start", stdout, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(_data.Path));
        Assert.False(File.Exists(Path.Combine(_data.Path, "master.key")));
        var (exit, usage, _) = await CliRun.RunAsync("usage", "--data", _data.Path);
        Assert.Equal(0, exit);
        Assert.Contains("groq/llama-3.3-70b-versatile", usage, StringComparison.Ordinal);
        Assert.DoesNotContain("demo-", usage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_DemoWithDataFolderThatDoesNotExist_CreatesNothingThere()
    {
        await RunDemoWithBannerAsync();

        Assert.False(Directory.Exists(_data.Path));
    }

    private async Task<(List<string?> Routes, string Folder)> RunDemoAsync()
    {
        var (routes, folder, _) = await RunDemoWithBannerAsync();
        return (routes, folder);
    }

    /// <summary>Ten requests to <c>free-first</c> through a demo run with <c>--data</c> at the test's folder.</summary>
    private async Task<(List<string?> Routes, string Folder, string Stdout)> RunDemoWithBannerAsync()
    {
        var routes = new List<string?>();
        string stdout;
        await using (var serve = await ServeRun.StartAsync("--demo", "--urls", "http://127.0.0.1:0", "--data", _data.Path))
        {
            using var http = new HttpClient { BaseAddress = serve.Address };
            for (var i = 0; i < 10; i++)
            {
                using var response = await http.PostAsync("/v1/chat/completions", Support.TestGateway.ChatBody("free-first"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                routes.Add(response.Headers.TryGetValues(SpillwayHeaders.Route, out var values) ? values.Single() : null);
            }

            var (exit, output, _) = await serve.StopAsync();
            Assert.Equal(0, exit);
            stdout = output;
        }

        var line = Assert.Single(stdout.Split('\n'), l => l.StartsWith(BannerDataLine, StringComparison.Ordinal));
        var folder = line[BannerDataLine.Length..line.IndexOf(" and is discarded", StringComparison.Ordinal)];
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "spillway-demo-"), folder, StringComparison.Ordinal);
        return (routes, folder, stdout);
    }

    /// <summary>Every file of the folder with its bytes, empty when there is no folder.</summary>
    private static Dictionary<string, string> Snapshot(string folder)
    {
        // Closes the pooled connections first, so what they still hold reaches the files.
        SqliteConnection.ClearAllPools();
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => f, f => Convert.ToHexString(File.ReadAllBytes(f)))
            : [];
    }

    private static LedgerEntry Served(string id, string route) => new()
    {
        Id = id,
        Time = TimeProvider.System.GetUtcNow(),
        ClientFormat = "openai",
        Model = route,
        Route = route,
        Status = 200,
        Stream = false,
        Usage = new TokenUsage(1000, 100),
        CostUsd = 0m,
        SavedUsd = 0.001m,
        LatencyMs = 10,
    };
}
