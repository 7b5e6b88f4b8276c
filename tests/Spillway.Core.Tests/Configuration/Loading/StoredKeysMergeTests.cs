using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;
using Spillway.Core.Providers;
using Spillway.Core.Secrets;

namespace Spillway.Core.Tests.Configuration.Loading;

public sealed class StoredKeysMergeTests
{
    private const string FileConfig = """
        providers:
          - id: groq
            preset: groq
            keys: [{ id: groq-1, value: gsk_from_the_config_file_1234, tier: free }]
          - id: local
            format: openai
            base_url: http://127.0.0.1:9/v1
        models:
          - id: chain
            route: [groq/llama-3.3-70b-versatile]
        """;

    [Fact]
    public void Merge_NoStoredKeys_ReturnsTheConfigAsItWas()
    {
        var config = ConfigLoader.Parse(FileConfig, "spillway.yaml", TestEnvironment.Empty);

        Assert.Same(config, StoredKeysMerge.Merge(config, []));
    }

    [Fact]
    public void Merge_KeyOfAConfiguredProvider_JoinsItsKeysWithThePresetLimits()
    {
        var config = ConfigLoader.Parse(FileConfig, "spillway.yaml", TestEnvironment.Empty);

        var merged = StoredKeysMerge.Merge(config, [Stored("groq-2", "groq", KeyTier.Free), Stored("local-1", "local", KeyTier.Paid)]);

        var groq = merged.FindProvider("groq")!;
        Assert.Equal(["groq-1", "groq-2"], groq.Keys.Select(k => k.Id));
        Assert.Equal("gsk_stored_groq-2_0123456789", groq.Keys[1].Value.Reveal());
        Assert.Equal(groq.Keys[0].ModelLimits, groq.Keys[1].ModelLimits);
        Assert.NotEmpty(groq.Keys[1].ModelLimits);
        Assert.Equal("local-1", merged.FindProvider("local")!.Keys.Single().Id);
        Assert.Equal(config.Models, merged.Models);
    }

    [Fact]
    public void Merge_StatedLimits_BeatThePresetFigures()
    {
        var config = ConfigLoader.Parse(FileConfig, "spillway.yaml", TestEnvironment.Empty);

        var merged = StoredKeysMerge.Merge(config, [Stored("groq-2", "groq", KeyTier.Free, new KeyLimits(Rpd: 5))]);

        var key = merged.FindProvider("groq")!.Keys[1];
        Assert.Equal(5, key.Limits.Rpd);
        Assert.All(key.ModelLimits.Values, limits => Assert.Equal(5, limits.Rpd));
    }

    [Fact]
    public void Merge_KeyOfAnUnconfiguredPreset_AddsTheProviderFromThePreset()
    {
        var config = ConfigLoader.Parse(FileConfig, "spillway.yaml", TestEnvironment.Empty);

        var merged = StoredKeysMerge.Merge(config, [Stored("openai-1", "openai", KeyTier.Paid)]);

        var openai = merged.FindProvider("openai")!;
        Assert.Equal("openai", openai.Preset);
        Assert.Equal(new Uri("https://api.openai.com/v1"), openai.BaseUrl);
        Assert.Equal("openai-1", openai.Keys.Single().Id);
        Assert.Equal(config.Models, merged.Models);
    }

    [Fact]
    public void Merge_EnvironmentWithoutKeys_BuildsWhatTheVariablesWouldHave()
    {
        var fromVariables = ConfigLoader.FromEnvironment(TestEnvironment.Of(("OPENAI_API_KEY", "sk-a"), ("GROQ_API_KEY", "gsk-b")));

        var merged = StoredKeysMerge.Merge(
            ConfigLoader.FromEnvironment(TestEnvironment.Empty),
            [Stored("openai-1", "openai", KeyTier.Paid), Stored("groq-1", "groq", KeyTier.Free)]);

        Assert.Equal(["groq", "openai"], merged.Providers.Select(p => p.Id));
        Assert.Equal(fromVariables.Models.Select(m => (m.Id, string.Join(',', m.Route))), merged.Models.Select(m => (m.Id, string.Join(',', m.Route))));
        Assert.Equal([ConfigLoader.FreeFirstAlias, ConfigLoader.FreeEmbeddingsAlias], merged.Models.Select(m => m.Id));
        Assert.Equal(fromVariables.Providers.Select(p => p.Keys.Single().Limits), merged.Providers.Select(p => p.Keys.Single().Limits));
    }

    [Fact]
    public void Merge_EnvironmentWithKeys_ChainsStoredAndVariableKeysInPresetOrder()
    {
        var config = ConfigLoader.FromEnvironment(TestEnvironment.Of(("OPENAI_API_KEY", "sk-a")));

        var merged = StoredKeysMerge.Merge(config, [Stored("openrouter-1", "openrouter", KeyTier.Free), Stored("gemini-1", "gemini", KeyTier.Free)]);

        Assert.Equal(["gemini", "openrouter", "openai"], merged.Providers.Select(p => p.Id));
        var route = merged.FindAlias(ConfigLoader.FreeFirstAlias)!.Route;
        Assert.StartsWith("gemini/", route[0], StringComparison.Ordinal);
        Assert.StartsWith("openai/", route[^1], StringComparison.Ordinal);
        Assert.Contains(route, r => r.StartsWith("openrouter/", StringComparison.Ordinal));
        Assert.NotNull(merged.Catalog.OpenRouter);
    }

    [Fact]
    public void Merge_IdAlsoInTheConfig_IsAStartupErrorNamingIt()
    {
        var config = ConfigLoader.Parse(FileConfig, "spillway.yaml", TestEnvironment.Empty);

        var error = Assert.Throws<ConfigException>(() => StoredKeysMerge.Merge(config, [Stored("groq-1", "openai", KeyTier.Paid)]));

        Assert.Contains("stored key 'groq-1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("spillway.yaml", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("gsk_", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_ProviderNeitherConfiguredNorAPreset_IsAStartupError()
    {
        var config = ConfigLoader.Parse(FileConfig, "spillway.yaml", TestEnvironment.Empty);

        var error = Assert.Throws<ConfigException>(() => StoredKeysMerge.Merge(config, [Stored("x-1", "nowhere", KeyTier.Paid)]));

        Assert.Contains("provider 'nowhere'", error.Message, StringComparison.Ordinal);
        Assert.Contains("spillway keys remove x-1", error.Message, StringComparison.Ordinal);
    }

    private static StoredKey Stored(string id, string provider, KeyTier tier, KeyLimits? limits = null)
    {
        var secret = new Secret($"gsk_stored_{id}_0123456789");
        return new StoredKey(new StoredKeyInfo(id, provider, tier, limits ?? KeyLimits.Unknown, secret.Last4, "0123456789abcdef", DateTimeOffset.UnixEpoch), secret);
    }
}
