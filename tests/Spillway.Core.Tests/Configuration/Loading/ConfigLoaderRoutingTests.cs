using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;
using Spillway.Core.Providers;

namespace Spillway.Core.Tests.Configuration.Loading;

public sealed class ConfigLoaderRoutingTests
{
    private static SpillwayConfig Parse(string yaml) => ConfigLoader.Parse(yaml, "spillway.yaml", TestEnvironment.Empty);

    [Fact]
    public void Parse_AliasWithoutStrategy_DefaultsToFreeFirst()
    {
        var config = Parse("""
            providers:
              - { id: local, format: openai, base_url: http://localhost:11434/v1 }
            models:
              - id: smart
                route: [local/a]
              - id: chain
                strategy: free-first
                route: [local/b]
            """);

        Assert.Equal(RoutingStrategy.FreeFirst, config.FindAlias("smart")!.Strategy);
        Assert.Equal(RoutingStrategy.FreeFirst, config.FindAlias("chain")!.Strategy);
    }

    [Theory]
    [InlineData("fill-first", KeySelection.FillFirst)]
    [InlineData("round-robin", KeySelection.RoundRobin)]
    [InlineData("Least-Used", KeySelection.LeastUsed)]
    public void Parse_KeySelection_ReadsEachPolicy(string text, KeySelection expected)
    {
        var config = Parse($"""
            providers:
              - id: local
                format: openai
                base_url: http://localhost:11434/v1
                key_selection: {text}
            """);

        Assert.Equal(expected, Assert.Single(config.Providers).KeySelection);
    }

    [Fact]
    public void Parse_NoKeySelection_FillFirst()
    {
        var config = Parse("""
            providers:
              - { id: local, format: openai, base_url: http://localhost:11434/v1 }
            """);

        Assert.Equal(KeySelection.FillFirst, Assert.Single(config.Providers).KeySelection);
    }

    [Fact]
    public void Parse_UnknownKeySelection_RefusedWithItsPathAndTheChoices()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("""
            providers:
              - id: local
                format: openai
                base_url: http://localhost:11434/v1
                key_selection: random
            """));

        Assert.Equal(
            "spillway.yaml:5:20: providers[0].key_selection: unknown key_selection 'random' (expected fill-first, round-robin or least-used)",
            error.Message);
    }

    [Fact]
    public void Parse_PresetProvider_HasThePresetsCapabilities()
    {
        var config = Parse("""
            providers:
              - { id: groq, preset: groq }
            """);

        var groq = Assert.Single(config.Providers);
        Assert.Equal(new ModelCapabilities(true, false, true, 131072), groq.CapabilitiesOf("llama-3.3-70b-versatile"));
        Assert.Equal(ModelCapabilities.Unknown, groq.CapabilitiesOf("some-new-model"));
    }

    [Fact]
    public void Parse_CapabilitiesOverride_ReplacesOnlyTheFieldsItNames()
    {
        var config = Parse("""
            providers:
              - id: groq
                preset: groq
                capabilities:
                  - { model: llama-3.3-70b-versatile, vision: true }
                  - { model: my-finetune, tools: false, context: 8192 }
            """);

        var groq = Assert.Single(config.Providers);
        Assert.Equal(new ModelCapabilities(true, true, true, 131072), groq.CapabilitiesOf("llama-3.3-70b-versatile"));
        Assert.Equal(new ModelCapabilities(Tools: false, ContextTokens: 8192), groq.CapabilitiesOf("my-finetune"));
        Assert.Equal(new ModelCapabilities(true, false, true, 131072), groq.CapabilitiesOf("llama-3.1-8b-instant"));
    }

    [Theory]
    [InlineData("[{ model: m, video: true }]", "providers[0].capabilities[0]: unknown field 'video'")]
    [InlineData("[{ model: m, context: 0 }]", "providers[0].capabilities[0].context: must be at least 1")]
    [InlineData("[{ tools: true }]", "providers[0].capabilities[0].model: missing")]
    [InlineData("[{ model: m }, { model: m }]", "providers[0].capabilities[1].model: 'm' is already described in this list")]
    public void Parse_BadCapabilities_RefusedWithThePath(string list, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => Parse($"""
            providers:
              - id: local
                format: openai
                base_url: http://localhost:11434/v1
                capabilities: {list}
            """));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
