using Spillway.Core.Catalog;
using Spillway.Simulator;
using Spillway.Storage.Sqlite;
using Spillway.Tests.Support;
using Spillway.TestSupport;

namespace Spillway.Tests.Cli;

/// <summary><c>spillway models --free</c> over the recorded OpenRouter catalog, live from a simulator or cached in the database.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ModelsCommandTests : IDisposable
{
    private static readonly ModelCatalog Recorded = new(
        new Uri("https://openrouter.ai/api/v1"), new DateTimeOffset(2025, 12, 2, 9, 15, 0, TimeSpan.Zero), ModelListParser.Parse(CatalogGateway.Catalog));

    private readonly TempDirectory _directory = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private async Task<string> ConfigPointingAtAsync(Uri baseUrl)
    {
        var file = Path.Combine(_directory.Path, "spillway.yaml");
        await File.WriteAllTextAsync(file, $"catalog:\n  openrouter: {{ base_url: {baseUrl}, refresh_minutes: 60 }}\n");
        return file;
    }

    [Fact]
    public async Task ModelsFree_LiveCatalog_ListsEveryFreeModelOfTheFixtureWithContextAndCapabilities()
    {
        var openRouter = new SimulatedProvider("openrouter", SimulatorStyle.OpenRouter) { ModelListBody = CatalogGateway.Catalog };
        await using var simulator = await ProviderSimulator.StartAsync([openRouter]);
        var config = await ConfigPointingAtAsync(simulator.BaseUrlOf("openrouter"));

        var (exit, stdout, _) = await RunAsync("models", "--free", "--config", config, "--data", _directory.Path);

        Assert.Equal(0, exit);
        Assert.StartsWith($"data: {_directory.Path}\nLive catalog from {simulator.BaseUrlOf("openrouter")}", stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        foreach (var model in Recorded.FreeModels)
        {
            Assert.Contains(model.Id, stdout, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("openrouter/auto", stdout, StringComparison.Ordinal);
        var gemma = stdout.Split('\n').Single(line => line.Contains("google/gemma-3n-e2b-it:free", StringComparison.Ordinal));
        Assert.Contains("8,192", gemma, StringComparison.Ordinal);
        Assert.Contains("30 free models.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelsFree_Json_StdoutIsJsonWithTheSourceAndEveryFreeModel()
    {
        var openRouter = new SimulatedProvider("openrouter", SimulatorStyle.OpenRouter) { ModelListBody = CatalogGateway.Catalog };
        await using var simulator = await ProviderSimulator.StartAsync([openRouter]);
        var config = await ConfigPointingAtAsync(simulator.BaseUrlOf("openrouter"));

        var (exit, stdout, stderr) = await RunAsync("models", "--free", "--json", "--config", config, "--data", _directory.Path);

        Assert.Equal(0, exit);
        Assert.Equal("data: " + _directory.Path, stderr.Trim());
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("live", root.GetProperty("source").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, root.GetProperty("live_error").ValueKind);
        var models = root.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(Recorded.FreeModels.Select(m => m.Id), models.Select(m => m.GetProperty("id").GetString()));
        var gemma = models.Single(m => m.GetProperty("id").GetString() == "google/gemma-3n-e2b-it:free");
        Assert.Equal(8192, gemma.GetProperty("context_length").GetInt32());
        Assert.True(gemma.GetProperty("free").GetBoolean());
    }

    [Fact]
    public async Task ModelsFree_LiveCatalogUnreachable_ShowsTheCachedCatalogAndWhenItWasRead()
    {
        // The simulator serves no "openrouter" provider, so the list answers 404.
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("other")]);
        var config = await ConfigPointingAtAsync(new Uri(simulator.BaseAddress, "openrouter/v1"));
        await new SqliteCatalogStore(_directory.Path).SaveAsync(CatalogSources.OpenRouter, Recorded, CancellationToken.None);

        var (exit, stdout, _) = await RunAsync("models", "--free", "--config", config, "--data", _directory.Path);

        Assert.Equal(0, exit);
        Assert.StartsWith($"data: {_directory.Path}\nCached catalog from ", stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("2025-12-02 09:15 UTC", stdout, StringComparison.Ordinal);
        Assert.Contains("404", stdout, StringComparison.Ordinal);
        Assert.Contains("30 free models.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelsFree_NeitherLiveNorCached_ExitsNonZeroSayingWhy()
    {
        // The simulator serves no "openrouter" provider, so the list answers 404.
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("other")]);
        var config = await ConfigPointingAtAsync(new Uri(simulator.BaseAddress, "openrouter/v1"));

        var (exit, _, stderr) = await RunAsync("models", "--free", "--config", config, "--data", _directory.Path);

        Assert.NotEqual(0, exit);
        Assert.Contains("no saved copy", stderr, StringComparison.Ordinal);
    }

    private static Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args) => CliRun.RunAsync(args);
}
