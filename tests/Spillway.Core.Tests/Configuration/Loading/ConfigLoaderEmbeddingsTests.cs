using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;

namespace Spillway.Core.Tests.Configuration.Loading;

/// <summary>Embedding models in config: declared per provider, and an alias that chains one never mixes it with another model.</summary>
public sealed class ConfigLoaderEmbeddingsTests
{
    private const string Providers = """
        providers:
          - { id: gemini, preset: gemini, keys: [{ id: g1, value: k1 }] }
          - { id: gemini-native, preset: gemini, format: gemini, keys: [{ id: g2, value: k2 }] }
          - { id: mistral, preset: mistral, keys: [{ id: m1, value: k3 }] }
          - id: local
            format: openai
            base_url: http://localhost:11434/v1
            embedding_models: [nomic-embed-text]

        """;

    private static SpillwayConfig Parse(string yaml) => ConfigLoader.Parse(Providers + yaml, "spillway.yaml", TestEnvironment.Empty);

    [Fact]
    public void Parse_PresetAndDeclaredEmbeddingModels_AreKnown()
    {
        var config = Parse(string.Empty);

        Assert.True(config.FindProvider("gemini")!.IsEmbeddingModel("gemini-embedding-001"));
        Assert.True(config.FindProvider("gemini-native")!.IsEmbeddingModel("gemini-embedding-001"));
        Assert.True(config.FindProvider("mistral")!.IsEmbeddingModel("mistral-embed"));
        Assert.True(config.FindProvider("local")!.IsEmbeddingModel("nomic-embed-text"));
        Assert.False(config.FindProvider("local")!.IsEmbeddingModel("llama3"));
    }

    [Fact]
    public void Parse_AliasOfOneEmbeddingModelOnSeveralHosts_Loads()
    {
        var config = Parse("""
            models:
              - id: embed
                route: [gemini/gemini-embedding-001, gemini-native/gemini-embedding-001]
            """);

        Assert.Equal("gemini-embedding-001", config.EmbeddingModelOf("embed"));
    }

    [Fact]
    public void Parse_AliasMixingTwoEmbeddingModels_FailsNamingTheAliasAndBothModels()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("""
            models:
              - id: embed
                route:
                  - gemini/gemini-embedding-001
                  - mistral/mistral-embed
            """));

        Assert.Equal(13, error.Line);
        Assert.Contains("'embed'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'gemini-embedding-001'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'mistral-embed'", error.Message, StringComparison.Ordinal);
        Assert.Contains("not interchangeable", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Parse_AliasMixingAnEmbeddingModelWithAChatModel_Fails()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("""
            models:
              - id: mixed
                route: [gemini/gemini-2.5-flash, local/nomic-embed-text]
            """));

        Assert.Contains("'mixed'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'nomic-embed-text'", error.Message, StringComparison.Ordinal);
        Assert.Contains("gemini/gemini-2.5-flash", error.Message, StringComparison.Ordinal);
        Assert.Contains("not an embedding model", error.Message, StringComparison.Ordinal);
    }
}
