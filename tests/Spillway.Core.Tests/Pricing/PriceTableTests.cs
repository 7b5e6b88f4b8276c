using Spillway.Core.Chat;
using Spillway.Core.Configuration;
using Spillway.Core.Pricing;
using Spillway.Core.Providers;

namespace Spillway.Core.Tests.Pricing;

public class PriceTableTests
{
    private static ProviderConfig Provider(string id, string? preset) => new()
    {
        Id = id,
        Format = WireFormat.OpenAI,
        BaseUrl = new Uri("https://" + id + ".example/v1"),
        Preset = preset,
    };

    [Fact]
    public void For_PresetProvider_BundledPricesUnderTheProvidersId()
    {
        var prices = PriceTable.For(new SpillwayConfig { Providers = [Provider("work-openai", "openai")] });

        var price = prices.Find("work-openai/gpt-4o-mini")!;
        Assert.Equal((0.15m, 0.60m, 0.075m), (price.Input, price.Output, price.CachedInput));
        Assert.Null(prices.Find("openai/gpt-4o-mini"));
    }

    [Fact]
    public void For_ConfigPricing_BeatsTheBundledTableAndAddsRoutes()
    {
        var config = new SpillwayConfig
        {
            Providers = [Provider("openai", "openai"), Provider("local", null)],
            Pricing = [new PriceOverride("openai/gpt-4o-mini", 0.10m, 0.50m), new PriceOverride("local/llama", 0m, 0m)],
        };

        var prices = PriceTable.For(config);

        Assert.Equal(new ModelPrice(0.10m, 0.50m) { Source = "config pricing" }, prices.Find("openai/gpt-4o-mini"));
        Assert.Equal(new ModelPrice(0m, 0m) { Source = "config pricing" }, prices.Find("local/llama"));
        Assert.NotNull(prices.Find("openai/gpt-4.1-nano"));
    }

    [Fact]
    public void For_PresetModelWithoutBundledPrice_Unpriced()
    {
        var prices = PriceTable.For(new SpillwayConfig { Providers = [Provider("deepinfra", "deepinfra")] });

        Assert.Null(prices.Find("deepinfra/meta-llama/Llama-3.3-70B-Instruct-Turbo"));
    }
}
