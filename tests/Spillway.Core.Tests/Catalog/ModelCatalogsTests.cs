using Spillway.Core.Catalog;
using Spillway.Core.Chat;
using Spillway.Core.Providers;

namespace Spillway.Core.Tests.Catalog;

public class ModelCatalogsTests
{
    private static readonly DateTimeOffset Noon = new(2025, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly Uri OpenRouterRoot = new("https://openrouter.ai/api/v1");

    private static ModelCatalog Catalog(Uri root, DateTimeOffset at, params CatalogModel[] models) => new(root, at, [.. models]);

    private static CatalogModel Free(string id) => new(id, null, 8192, true, false, true, Free: true);

    private static ProviderConfig Provider(string id, Uri baseUrl, string? preset = null) => new()
    {
        Id = id,
        Format = WireFormat.OpenAI,
        BaseUrl = baseUrl,
        Preset = preset,
    };

    [Fact]
    public void Failed_AfterSucceeded_KeepsTheCatalogAndRecordsTheFailure()
    {
        var catalogs = new ModelCatalogs();
        var good = Catalog(OpenRouterRoot, Noon, Free("a:free"));
        catalogs.Succeeded(CatalogSources.OpenRouter, good);

        catalogs.Failed(CatalogSources.OpenRouter, Noon.AddHours(1), "answered 503");

        Assert.Equal(new CatalogStatus(good, Noon.AddHours(1), "answered 503"), catalogs.StatusOf(CatalogSources.OpenRouter));
        Assert.Single(catalogs.FreeModels(Provider("openrouter", OpenRouterRoot, preset: "openrouter")));
    }

    [Fact]
    public void Restored_AfterARefresh_DoesNotReplaceTheFresherList()
    {
        var catalogs = new ModelCatalogs();
        var fresh = Catalog(OpenRouterRoot, Noon, Free("fresh:free"));
        catalogs.Succeeded(CatalogSources.OpenRouter, fresh);

        catalogs.Restored(CatalogSources.OpenRouter, Catalog(OpenRouterRoot, Noon.AddDays(-1), Free("old:free")));

        Assert.Same(fresh, catalogs.StatusOf(CatalogSources.OpenRouter).Catalog);
    }

    [Fact]
    public void FreeModels_OpenRouterList_DescribesPresetProvidersAndProvidersAtItsRootOnly()
    {
        var catalogs = new ModelCatalogs();
        catalogs.Succeeded(CatalogSources.OpenRouter, Catalog(OpenRouterRoot, Noon, Free("a:free")));

        Assert.Single(catalogs.FreeModels(Provider("or-work", new Uri("https://proxy.example/v1"), preset: "openrouter")));
        Assert.Single(catalogs.FreeModels(Provider("router", new Uri("https://openrouter.ai/api/v1/"))));
        Assert.Empty(catalogs.FreeModels(Provider("groq", new Uri("https://api.groq.com/openai/v1"))));
    }

    [Fact]
    public void Describe_ProviderOwnList_FindsTheModel()
    {
        var catalogs = new ModelCatalogs();
        var groq = Provider("groq", new Uri("https://api.groq.com/openai/v1"));
        catalogs.Succeeded(CatalogSources.OfProvider("groq"), Catalog(groq.BaseUrl, Noon, new CatalogModel("llama", null, 131072, null, null, null, false)));

        Assert.Equal(131072, catalogs.Describe(groq, "llama")?.ContextLength);
        Assert.Null(catalogs.Describe(groq, "other"));
    }
}
