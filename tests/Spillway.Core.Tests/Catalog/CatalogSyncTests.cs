using System.Text;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Catalog;
using Spillway.Core.Chat;
using Spillway.Core.Configuration;
using Spillway.Core.Providers;
using Spillway.Core.Tests.Ledger;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Catalog;

public sealed class CatalogSyncTests : IDisposable
{
    private static readonly byte[] Fixture = Fixtures.ReadBytes("openrouter-models-api-response-2025-12.json");
    private static readonly HttpClient Http = new();

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 12, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly LoopbackModelServer _server = new(Fixture);
    private readonly ModelCatalogs _catalogs = new();
    private readonly MemoryCatalogStore _store = new();
    private readonly ListLogger<CatalogSync> _logger = new();

    public void Dispose() => _server.Dispose();

    private CatalogSync Sync() => new(new CatalogFetcher(Http, _time), _catalogs, _store, _time, _logger);

    private SpillwayConfig Config(params ProviderConfig[] providers) => new()
    {
        Providers = [.. providers],
        Catalog = new CatalogConfig { OpenRouter = new OpenRouterCatalogConfig(_server.BaseUrl, 60) },
    };

    private static ProviderConfig OpenRouter(Uri baseUrl) => new()
    {
        Id = "openrouter",
        Format = WireFormat.OpenAI,
        BaseUrl = baseUrl,
        Keys = [new KeyConfig("or-1", new Secret("sk-or-secret-1234"), KeyTier.Free, KeyLimits.Unknown)],
    };

    [Fact]
    public async Task Refresh_OpenRouterList_HoldsItsFreeModelsForTheProviderAndSavesIt()
    {
        var provider = OpenRouter(_server.BaseUrl);

        await Sync().RefreshAsync(Config(provider), CancellationToken.None);

        Assert.Equal(30, _catalogs.FreeModels(provider).Count);
        var status = _catalogs.StatusOf(CatalogSources.OpenRouter);
        Assert.Equal(_time.GetUtcNow(), status.Catalog!.FetchedAt);
        Assert.Null(status.Failure);
        Assert.Equal(335, _store.Saved[CatalogSources.OpenRouter].Models.Length);
        // One read: the provider is described by the OpenRouter list, so it is not listed again; no key is sent.
        var request = Assert.Single(_server.Requests);
        Assert.Equal("/api/v1/models", request.Path);
        Assert.Null(request.Authorization);
    }

    [Fact]
    public async Task Refresh_FailsAfterAGoodRead_KeepsTheOldListAndRecordsTheFailure()
    {
        var provider = OpenRouter(_server.BaseUrl);
        var sync = Sync();
        await sync.RefreshAsync(Config(provider), CancellationToken.None);
        var goodAt = _time.GetUtcNow();

        _server.Status = 503;
        _time.Advance(TimeSpan.FromMinutes(60));
        await sync.RefreshAsync(Config(provider), CancellationToken.None);

        var status = _catalogs.StatusOf(CatalogSources.OpenRouter);
        Assert.Equal(goodAt, status.Catalog!.FetchedAt);
        Assert.Equal(30, _catalogs.FreeModels(provider).Count);
        Assert.Equal(_time.GetUtcNow(), status.FailedAt);
        Assert.Contains("503", status.Failure, StringComparison.Ordinal);
        Assert.Contains(_logger.Records, e => e.Message.Contains("could not be refreshed", StringComparison.Ordinal) && e.Message.Contains("503", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refresh_BadJsonThenGood_RecordsThenClearsTheFailure()
    {
        var provider = OpenRouter(_server.BaseUrl);
        var sync = Sync();
        _server.Body = "<html>maintenance</html>"u8.ToArray();
        await sync.RefreshAsync(Config(provider), CancellationToken.None);

        Assert.Null(_catalogs.StatusOf(CatalogSources.OpenRouter).Catalog);
        Assert.Empty(_catalogs.FreeModels(provider));
        Assert.Contains("model list", _catalogs.StatusOf(CatalogSources.OpenRouter).Failure, StringComparison.Ordinal);

        _server.Body = Fixture;
        await sync.RefreshAsync(Config(provider), CancellationToken.None);

        Assert.Null(_catalogs.StatusOf(CatalogSources.OpenRouter).Failure);
        Assert.Equal(30, _catalogs.FreeModels(provider).Count);
    }

    [Fact]
    public async Task Refresh_FailsBeforeAnyRead_LogsThatNoListWasReadYet()
    {
        var provider = OpenRouter(_server.BaseUrl);
        _server.Status = 503;

        await Sync().RefreshAsync(Config(provider), CancellationToken.None);

        var warning = Assert.Single(_logger.Records, e => e.Message.Contains("could not be refreshed", StringComparison.Ordinal));
        Assert.EndsWith("; no list read yet", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(null)", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_SimulatedProvider_IsNotReadNorLogged()
    {
        using var simulator = new LoopbackModelServer(Encoding.UTF8.GetBytes("""{"object":"list","data":[]}"""));
        var simulated = new ProviderConfig
        {
            Id = "sim-groq",
            Format = WireFormat.OpenAI,
            BaseUrl = simulator.BaseUrl,
            Keys = [new KeyConfig("sim-1", new Secret("sim-key-1234"), KeyTier.Free, KeyLimits.Unknown)],
            Models = ["llama-3.3-70b-versatile"],
            Simulated = true,
        };

        await Sync().RefreshAsync(Config(simulated) with { Catalog = CatalogConfig.None }, CancellationToken.None);

        Assert.Empty(simulator.Requests);
        Assert.Empty(_logger.Records);
        Assert.Null(_catalogs.StatusOf(CatalogSources.OfProvider("sim-groq")).Catalog);
    }

    [Fact]
    public async Task Restore_SavedList_ServesUntilTheFirstRefreshAndARefreshFailureKeepsIt()
    {
        var provider = OpenRouter(_server.BaseUrl);
        await Sync().RefreshAsync(Config(provider), CancellationToken.None);
        var restarted = new ModelCatalogs();
        _server.Status = 500;

        var sync = new CatalogSync(new CatalogFetcher(Http, _time), restarted, _store, _time, _logger);
        await sync.RestoreAsync(Config(provider), CancellationToken.None);
        await sync.RefreshAsync(Config(provider), CancellationToken.None);

        Assert.Equal(30, restarted.FreeModels(provider).Count);
        Assert.Contains("500", restarted.StatusOf(CatalogSources.OpenRouter).Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_ProviderOwnList_SendsItsKeyLearnsContextAndWarnsOfUnlistedRoutes()
    {
        using var groqServer = new LoopbackModelServer(Encoding.UTF8.GetBytes("""{"object":"list","data":[{"id":"llama-3.3-70b-versatile","context_window":131072}]}"""));
        var groq = new ProviderConfig
        {
            Id = "groq",
            Format = WireFormat.OpenAI,
            BaseUrl = groqServer.BaseUrl,
            Keys = [new KeyConfig("groq-1", new Secret("gsk-secret-5678"), KeyTier.Free, KeyLimits.Unknown)],
            Models = ["llama-3.3-70b-versatile", "retired-model"],
        };

        await Sync().RefreshAsync(Config(groq) with { Catalog = CatalogConfig.None }, CancellationToken.None);

        Assert.Equal("Bearer gsk-secret-5678", Assert.Single(groqServer.Requests).Authorization);
        Assert.Equal(131072, _catalogs.Describe(groq, "llama-3.3-70b-versatile")?.ContextLength);
        Assert.Empty(_catalogs.FreeModels(groq));
        var warning = Assert.Single(_logger.Records, e => e.Message.Contains("does not list", StringComparison.Ordinal));
        Assert.Contains("groq/retired-model", warning.Message, StringComparison.Ordinal);
    }
}
