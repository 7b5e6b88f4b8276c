using Spillway.Core.Chat;
using Spillway.Core.Configuration;
using Spillway.Core.Pricing;
using Spillway.Core.Providers;

namespace Spillway.Core.Tests.Pricing;

public class PriceBookTests
{
    private static ProviderConfig Provider(string id, string? preset) => new()
    {
        Id = id,
        Format = WireFormat.OpenAI,
        BaseUrl = new Uri("https://" + id + ".example/v1"),
        Preset = preset,
    };

    [Fact]
    public void Find_ConfigPriceOnly_RouteMatchedExactly()
    {
        var prices = new PriceBook([new PriceOverride("anthropic/claude-sonnet-4", 3m, 15m, CachedInput: 0.3m, CacheWrite: 3.75m)]);

        Assert.Equal(new ModelPrice(3m, 15m) { CachedInput = 0.3m, CacheWrite = 3.75m, Source = "config pricing" }, prices.Find("anthropic/claude-sonnet-4"));
        Assert.Null(prices.Find("ANTHROPIC/claude-sonnet-4"));
        Assert.Null(prices.Find("anthropic"));
        Assert.Null(PriceBook.Empty.Find("anthropic/claude-sonnet-4"));
    }

    [Fact]
    public void Find_Layers_ConfigBeatsLiveBeatsBundled()
    {
        var live = new FixedSource(new ModelPrice(9m, 9m) { Source = "catalog" });
        var config = new SpillwayConfig
        {
            Providers = [Provider("work", "openai"), Provider("router", "openrouter")],
            Pricing = [new PriceOverride("work/gpt-4o", 1m, 2m)],
        };

        var prices = PriceTable.For(config, live);

        Assert.Equal(1m, prices.Find("work/gpt-4o")!.Input);
        Assert.Equal("catalog", prices.Find("work/gpt-4.1")!.Source);
        Assert.Equal("catalog", prices.Find("router/qwen/qwen3-coder")!.Source);
        Assert.Equal([("work", "gpt-4.1"), ("router", "qwen/qwen3-coder")], live.Asked);
    }

    [Fact]
    public void Find_NoLiveSource_BundledUnderTheProvidersPreset()
    {
        var prices = PriceTable.For(new SpillwayConfig { Providers = [Provider("work", "openai"), Provider("local", null)] });

        Assert.Equal(2.50m, prices.Find("work/gpt-4o")!.Input);
        Assert.Null(prices.Find("openai/gpt-4o"));
        Assert.Null(prices.Find("work/gpt-unknown"));
        Assert.Null(prices.Find("local/gpt-4o"));
    }

    [Fact]
    public void FindReference_PresetRouteWithoutSuchProvider_FromTheBundledTable()
    {
        var prices = PriceTable.For(new SpillwayConfig { Providers = [Provider("groq", "groq")] });

        Assert.Equal(0.15m, prices.FindReference("openai/gpt-4o-mini")!.Input);
        Assert.Equal(0.59m, prices.FindReference("groq/llama-3.3-70b-versatile")!.Input);
        Assert.Null(prices.FindReference("groq/gpt-4o-mini"));
        Assert.Null(prices.FindReference("nobody/gpt-4o-mini"));
    }

    private sealed class FixedSource(ModelPrice price) : IPriceSource
    {
        public List<(string, string)> Asked { get; } = [];

        public ModelPrice? Find(ProviderConfig provider, string model)
        {
            Asked.Add((provider.Id, model));
            return price;
        }
    }
}
