using Microsoft.Data.Sqlite;
using Spillway.Core.Catalog;
using Spillway.TestSupport;

namespace Spillway.Storage.Sqlite.Tests;

public sealed class SqliteCatalogStoreTests : IDisposable
{
    private static readonly DateTimeOffset FetchedAt = new(2025, 12, 2, 10, 30, 15, 123, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task SaveThenLoad_InANewStore_RoundTripsTheFixtureCatalog()
    {
        var models = ModelListParser.Parse(Fixtures.ReadBytes("openrouter-models-api-response-2025-12.json"));
        var saved = new ModelCatalog(new Uri("https://openrouter.ai/api/v1"), FetchedAt, models);
        await new SqliteCatalogStore(_directory.Path).SaveAsync(CatalogSources.OpenRouter, saved, CancellationToken.None);

        var loaded = await new SqliteCatalogStore(_directory.Path).LoadAsync(CatalogSources.OpenRouter, CancellationToken.None);

        Assert.NotNull(loaded);
        Assert.Equal(saved.BaseUrl, loaded.BaseUrl);
        Assert.Equal(FetchedAt, loaded.FetchedAt);
        Assert.Equal(saved.Models.AsEnumerable(), loaded.Models);
        Assert.Equal(30, loaded.FreeModels.Length);
    }

    [Fact]
    public async Task Save_Twice_KeepsOnlyTheLatestPerSource()
    {
        var store = new SqliteCatalogStore(_directory.Path);
        var root = new Uri("https://groq.example/v1");
        await store.SaveAsync("provider:groq", new ModelCatalog(root, FetchedAt, [new CatalogModel("old", null, null, null, null, null, false)]), CancellationToken.None);
        await store.SaveAsync("provider:groq", new ModelCatalog(root, FetchedAt.AddHours(1), [new CatalogModel("new", "New", 8192, true, null, false, true)]), CancellationToken.None);

        var loaded = await store.LoadAsync("provider:groq", CancellationToken.None);

        Assert.Equal(FetchedAt.AddHours(1), loaded!.FetchedAt);
        Assert.Equal(new CatalogModel("new", "New", 8192, true, null, false, true), Assert.Single(loaded.Models));
        Assert.Null(await store.LoadAsync(CatalogSources.OpenRouter, CancellationToken.None));
    }

    [Fact]
    public async Task Save_BesideTheLedger_LeavesTheLedgerSchemaAlone()
    {
        var ledger = new SqliteLedgerStore(_directory.Path);
        await ledger.InitializeAsync(CancellationToken.None);
        var store = new SqliteCatalogStore(_directory.Path);

        await store.SaveAsync(CatalogSources.OpenRouter, new ModelCatalog(new Uri("https://openrouter.ai/api/v1"), FetchedAt, []), CancellationToken.None);
        await ledger.InitializeAsync(CancellationToken.None);

        Assert.Equal(store.DatabasePath, ledger.DatabasePath);
        Assert.Empty((await store.LoadAsync(CatalogSources.OpenRouter, CancellationToken.None))!.Models);
        ledger.Dispose();
    }
}
