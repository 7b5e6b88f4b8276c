using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;

namespace Spillway.Core.Tests.Configuration.Loading;

public sealed class ConfigLoaderPricingTests
{
    private const string Groq = """
        providers:
          - id: groq
            preset: groq
            keys: [{ value: gsk-test-1234 }]

        """;

    [Fact]
    public void Parse_PricingWithCacheWriteAndReasoning_AllRead()
    {
        var yaml = Groq + """
            pricing:
              - { route: groq/m, input: 1, output: 2, cached_input: 0.1, cache_write: 1.25, reasoning: 3 }
            """;

        var config = ConfigLoader.Parse(yaml, "spillway.yaml", TestEnvironment.Empty);

        Assert.Equal([new PriceOverride("groq/m", 1m, 2m, 0.1m, 1.25m, 3m)], config.Pricing.ToArray());
    }

    [Theory]
    [InlineData("groq/llama-3.3-70b-versatile")]
    [InlineData("groq/anything-the-catalog-may-price")]
    [InlineData("openai/gpt-4o-mini")]
    public void Parse_PricingReference_ConfiguredRouteOrBundledPresetModel(string reference)
    {
        var config = ConfigLoader.Parse(Groq + "pricing_reference: " + reference + "\n", "spillway.yaml", TestEnvironment.Empty);

        Assert.Equal(reference, config.PricingReference);
    }

    [Fact]
    public void Parse_NoPricingReference_Null()
    {
        Assert.Null(ConfigLoader.Parse(Groq, "spillway.yaml", TestEnvironment.Empty).PricingReference);
    }

    [Theory]
    [InlineData("gpt-4o-mini", "spillway.yaml:5:20: pricing_reference: 'gpt-4o-mini' is not a route: expected provider/model")]
    [InlineData("acme/gpt-4o-mini", "spillway.yaml:5:20: pricing_reference: 'acme' is neither a configured provider nor a preset")]
    [InlineData(
        "openai/gpt-9",
        "spillway.yaml:5:20: pricing_reference: the bundled price table has no price for 'openai/gpt-9'; add it under pricing:, or name a configured provider's route")]
    public void Parse_BadPricingReference_OneClearLine(string reference, string expected)
    {
        var error = Assert.Throws<ConfigException>(() =>
            ConfigLoader.Parse(Groq + "pricing_reference: " + reference + "\n", "spillway.yaml", TestEnvironment.Empty));

        Assert.Equal(expected, error.Message);
    }
}
