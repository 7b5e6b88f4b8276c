using Spillway.Core.Configuration;
using Spillway.Core.Pricing;
using Spillway.Core.Providers.Presets;

namespace Spillway.Core.Tests.Pricing;

public class BundledPricesTests
{
    [Fact]
    public void All_EveryRowIsAModelOfItsPreset_WithSourceAndDate()
    {
        Assert.NotEmpty(BundledPrices.All);
        foreach (var (route, price) in BundledPrices.All)
        {
            var slash = route.IndexOf('/', StringComparison.Ordinal);
            var preset = ProviderPresets.Find(route[..slash]);
            Assert.True(preset is not null, $"{route}: no such preset");
            var model = route[(slash + 1)..];
            var embedding = preset.EmbeddingModels.Any(m => m.Model == model);
            Assert.True(embedding || preset.Models.Contains(model), $"{route}: not a model of its preset");
            Assert.Matches(@", \d{4}-\d{2}$", price.Source);

            // An embedding model bills its input only.
            Assert.True(price.Input > 0 && (embedding ? price.Output == 0 : price.Output > 0), route);
        }
    }

    [Fact]
    public void All_PresetsPinnedCheapModelPrices_AgreeWithTheTable()
    {
        foreach (var preset in ProviderPresets.All)
        {
            foreach (var model in preset.CheapModels.Where(m => m.Input is not null))
            {
                var price = BundledPrices.Find(preset.Id, model.Model);
                Assert.True(price is not null, $"{preset.Id}/{model.Model} is pinned in presets.yaml but not in prices.yaml");
                Assert.Equal((model.Input, model.Output, model.CachedInput), (price.Input, price.Output, price.CachedInput));
            }
        }
    }

    [Fact]
    public void All_NoFreeModelIsPriced()
    {
        Assert.DoesNotContain(BundledPrices.All.Keys, route => route.EndsWith(":free", StringComparison.Ordinal) || route.StartsWith("openrouter/", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_TypoInARow_FailsWithTheLine()
    {
        var yaml = "prices:\n  - { route: openai/gpt-4o, input: 1, ouput: 2, source: x, as_of: 2026-07 }\n";

        var error = Assert.Throws<ConfigException>(() => PriceFileReader.Parse(yaml, "prices.yaml"));
        Assert.Contains("ouput", error.Message, StringComparison.Ordinal);
        Assert.Contains("2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RouteTwice_Fails()
    {
        var yaml = """
            prices:
              - { route: openai/gpt-4o, input: 1, output: 2, source: x, as_of: 2026-07 }
              - { route: openai/gpt-4o, input: 1, output: 2, source: x, as_of: 2026-07 }
            """;

        var error = Assert.Throws<ConfigException>(() => PriceFileReader.Parse(yaml, "prices.yaml"));
        Assert.Contains("priced twice", error.Message, StringComparison.Ordinal);
    }
}
