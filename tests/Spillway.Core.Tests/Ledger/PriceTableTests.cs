using Spillway.Core.Configuration;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;

namespace Spillway.Core.Tests.Ledger;

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
    public void For_PresetProvider_PinnedPricesUnderTheProvidersId()
    {
        var prices = PriceTable.For(new SpillwayConfig { Providers = [Provider("work-openai", "openai")] });

        Assert.Equal(new PriceOverride("work-openai/gpt-4o-mini", 0.15m, 0.60m, 0.075m), prices.Find("work-openai/gpt-4o-mini"));
        Assert.Null(prices.Find("openai/gpt-4o-mini"));
    }

    [Fact]
    public void For_ConfigPricing_BeatsThePresetAndAddsRoutes()
    {
        var config = new SpillwayConfig
        {
            Providers = [Provider("openai", "openai"), Provider("local", null)],
            Pricing = [new PriceOverride("openai/gpt-4o-mini", 0.10m, 0.50m), new PriceOverride("local/llama", 0m, 0m)],
        };

        var prices = PriceTable.For(config);

        Assert.Equal(new PriceOverride("openai/gpt-4o-mini", 0.10m, 0.50m), prices.Find("openai/gpt-4o-mini"));
        Assert.Equal(new PriceOverride("local/llama", 0m, 0m), prices.Find("local/llama"));
        Assert.NotNull(prices.Find("openai/gpt-4.1-nano"));
    }

    [Fact]
    public void For_PresetModelWithoutPinnedPrice_Unpriced()
    {
        var prices = PriceTable.For(new SpillwayConfig { Providers = [Provider("deepinfra", "deepinfra")] });

        Assert.Null(prices.Find("deepinfra/meta-llama/Llama-3.3-70B-Instruct-Turbo"));
    }
}
