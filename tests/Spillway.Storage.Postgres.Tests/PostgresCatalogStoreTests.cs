using Spillway.Core.Catalog;
using Spillway.TestSupport;

namespace Spillway.Storage.Postgres.Tests;

public sealed class PostgresCatalogStoreTests(PostgresServerFixture fixture) : PostgresTest(fixture)
{
    private static readonly DateTimeOffset FetchedAt = new(2025, 12, 2, 10, 30, 15, 123, TimeSpan.Zero);

    [Fact]
    public async Task SaveThenLoad_FromAnotherInstance_RoundTripsTheFixtureCatalog()
    {
        var models = ModelListParser.Parse(Fixtures.ReadBytes("openrouter-models-api-response-2025-12.json"));
        var saved = new ModelCatalog(new Uri("https://openrouter.ai/api/v1"), FetchedAt, models);
        await Create().Catalog.SaveAsync(CatalogSources.OpenRouter, saved, CancellationToken.None);

        var loaded = await Create().Catalog.LoadAsync(CatalogSources.OpenRouter, CancellationToken.None);

        Assert.NotNull(loaded);
        Assert.Equal(saved.BaseUrl, loaded.BaseUrl);
        Assert.Equal(FetchedAt, loaded.FetchedAt);
        Assert.Equal(saved.Models.AsEnumerable(), loaded.Models);
        Assert.Equal(30, loaded.FreeModels.Length);
    }

    [Fact]
    public async Task Save_Twice_KeepsOnlyTheLatestPerSource()
    {
        var store = Create().Catalog;
        var root = new Uri("https://groq.example/v1");
        await store.SaveAsync("provider:groq", new ModelCatalog(root, FetchedAt, [new CatalogModel("old", null, null, null, null, null, false)]), CancellationToken.None);
        await store.SaveAsync("provider:groq", new ModelCatalog(root, FetchedAt.AddHours(1), [new CatalogModel("new", "New", 8192, true, null, false, true)]), CancellationToken.None);

        var loaded = await store.LoadAsync("provider:groq", CancellationToken.None);

        Assert.Equal(FetchedAt.AddHours(1), loaded!.FetchedAt);
        Assert.Equal(new CatalogModel("new", "New", 8192, true, null, false, true), Assert.Single(loaded.Models));
        Assert.Null(await store.LoadAsync(CatalogSources.OpenRouter, CancellationToken.None));
    }
}
