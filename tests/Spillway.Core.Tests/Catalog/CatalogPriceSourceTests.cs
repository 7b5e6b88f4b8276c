using Spillway.Core.Catalog;
using Spillway.Core.Chat;
using Spillway.Core.Providers;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Catalog;

public class CatalogPriceSourceTests
{
    private static readonly Uri OpenRouterRoot = new("https://openrouter.ai/api/v1");

    private static readonly ProviderConfig OpenRouter = new()
    {
        Id = "openrouter",
        Format = WireFormat.OpenAI,
        BaseUrl = OpenRouterRoot,
        Preset = "openrouter",
    };

    private static CatalogPriceSource FromFixture()
    {
        var catalogs = new ModelCatalogs();
        var models = ModelListParser.Parse(Fixtures.ReadBytes("openrouter-models-api-response-2025-12.json"));
        catalogs.Succeeded(CatalogSources.OpenRouter, new ModelCatalog(OpenRouterRoot, DateTimeOffset.UnixEpoch, models));
        return new CatalogPriceSource(catalogs);
    }

    [Fact]
    public void Find_ListedModel_PerTokenPricesBecomePerMillion()
    {
        var price = FromFixture().Find(OpenRouter, "openai/gpt-4o-mini");

        Assert.NotNull(price);
        Assert.Equal(0.15m, price.Input);
        Assert.Equal(0.60m, price.Output);
    }

    [Fact]
    public void Find_AutoRouterPricedPerCall_NoPrice()
    {
        Assert.Null(FromFixture().Find(OpenRouter, "openrouter/auto"));
    }

    [Fact]
    public void Find_UnlistedModel_NoPrice()
    {
        Assert.Null(FromFixture().Find(OpenRouter, "nobody/nothing"));
    }
}
