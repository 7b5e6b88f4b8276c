using Spillway.Core.Chat;
using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;
using Spillway.Core.Providers;

namespace Spillway.Core.Tests.Configuration.Loading;

public sealed class ConfigLoaderEnvironmentTests
{
    [Fact]
    public void FromEnvironment_GroqOpenAIGemini_ChainsFreeTiersThenCheapPaidModels()
    {
        var config = ConfigLoader.FromEnvironment(TestEnvironment.Of(
            ("GROQ_API_KEY", "gsk-groq"),
            ("OPENAI_API_KEY", "sk-openai"),
            ("GEMINI_API_KEY", "gemini-key")));

        Assert.Equal(["gemini", "groq", "openai"], config.Providers.Select(p => p.Id));
        Assert.Equal(["gemini", "groq", "openai"], config.Providers.Select(p => p.Preset));
        Assert.Equal(["gemini-env", "groq-env", "openai-env"], config.Providers.Select(p => p.Keys.Single().Id));
        Assert.Equal([KeyTier.Free, KeyTier.Free, KeyTier.Paid], config.Providers.Select(p => p.Keys.Single().Tier));

        Assert.Equal([ConfigLoader.FreeFirstAlias, ConfigLoader.FreeEmbeddingsAlias], config.Models.Select(m => m.Id));
        var alias = config.Models[0];
        Assert.Equal(ConfigLoader.FreeFirstAlias, alias.Id);
        Assert.Equal(RoutingStrategy.FreeFirst, alias.Strategy);
        Assert.Equal(
            [
                "gemini/gemini-2.5-flash",
                "gemini/gemini-2.5-flash-lite",
                "groq/llama-3.3-70b-versatile",
                "groq/openai/gpt-oss-120b",
                "groq/llama-3.1-8b-instant",
                "openai/gpt-4o-mini",
                "openai/gpt-4.1-nano",
            ],
            alias.Route.ToArray());
        Assert.Equal("environment", config.Source);
    }

    [Fact]
    public void FromEnvironment_AllFreeProviders_OrdersThemGeminiGroqCerebrasOpenRouterMistralGitHub()
    {
        var config = ConfigLoader.FromEnvironment(TestEnvironment.Of(
            ("GITHUB_TOKEN", "ghp"),
            ("MISTRAL_API_KEY", "m"),
            ("OPENROUTER_API_KEY", "or"),
            ("CEREBRAS_API_KEY", "c"),
            ("GROQ_API_KEY", "g"),
            ("GEMINI_API_KEY", "ge")));

        var providersInRoute = config.FindAlias(ConfigLoader.FreeFirstAlias)!.Route.Select(r => r[..r.IndexOf('/', StringComparison.Ordinal)]).Distinct();
        Assert.Equal(["gemini", "groq", "cerebras", "openrouter", "mistral", "github-models"], providersInRoute);
        Assert.Contains("openrouter/free", config.FindAlias(ConfigLoader.FreeFirstAlias)!.Route);
    }

    [Fact]
    public void FromEnvironment_KeyVariable_BecomesKeyWithPresetLimits()
    {
        var config = ConfigLoader.FromEnvironment(TestEnvironment.Of(("GROQ_API_KEY", " gsk-groq\n"), ("OPENROUTER_API_KEY", "sk-or")));

        var groq = config.FindProvider("groq")!;
        var key = groq.Keys.Single();
        Assert.Equal("gsk-groq", key.Value.Reveal());
        Assert.Equal(new KeyLimits(30, 1000, 12000, 100000), key.ModelLimits["llama-3.3-70b-versatile"]);
        Assert.Equal(new Uri("https://api.groq.com/openai/v1"), groq.BaseUrl);
        Assert.Equal(WireFormat.OpenAI, groq.Format);

        var openRouterKey = config.FindProvider("openrouter")!.Keys.Single();
        Assert.Equal(new KeyLimits(Rpm: 20, Rpd: 50), openRouterKey.Limits);
        Assert.Equal(OpenRouterCatalogConfig.Default, config.Catalog.OpenRouter);
    }

    [Fact]
    public void FromEnvironment_NoKeyVariables_ReturnsConfigWithoutProviders()
    {
        var config = ConfigLoader.FromEnvironment(TestEnvironment.Of(("PATH", "/usr/bin"), ("HOME", "/root")));

        Assert.Empty(config.Providers);
        Assert.Empty(config.Models);
        Assert.Null(config.Auth.AdminToken);
        Assert.Null(config.Catalog.OpenRouter);
    }

    [Fact]
    public void FromEnvironment_EmptyVariable_IsNotSet()
    {
        var config = ConfigLoader.FromEnvironment(TestEnvironment.Of(("GROQ_API_KEY", ""), ("GEMINI_API_KEY", "   "), ("MISTRAL_API_KEY", null)));

        Assert.Empty(config.Providers);
    }

    [Fact]
    public void FromEnvironment_OnlyPaidProvider_AliasHoldsItsCheapModels()
    {
        var config = ConfigLoader.FromEnvironment(TestEnvironment.Of(("ANTHROPIC_API_KEY", "sk-ant")));

        var anthropic = Assert.Single(config.Providers);
        Assert.Equal(WireFormat.Anthropic, anthropic.Format);
        Assert.Equal(AuthStyle.XApiKey, anthropic.Auth);
        Assert.Equal(["anthropic/claude-haiku-4-5"], config.FindAlias(ConfigLoader.FreeFirstAlias)!.Route.ToArray());
    }

    [Fact]
    public void FromEnvironment_AdminTokenVariable_SetsAdminToken()
    {
        var config = ConfigLoader.FromEnvironment(TestEnvironment.Of((ConfigLoader.AdminTokenVariable, "admin-123")));

        Assert.Equal("admin-123", config.Auth.AdminToken!.Reveal());
        Assert.Empty(config.Providers);
    }

    [Fact]
    public void FromEnvironment_FreeAndPaidEmbeddingModels_FreeEmbeddingsUsesTheFirstFreeOneOnly()
    {
        var config = ConfigLoader.FromEnvironment(TestEnvironment.Of(
            ("OPENAI_API_KEY", "sk-openai"),
            ("MISTRAL_API_KEY", "mistral-key"),
            ("GEMINI_API_KEY", "gemini-key")));

        var alias = config.FindAlias(ConfigLoader.FreeEmbeddingsAlias);

        Assert.NotNull(alias);
        Assert.Equal(["gemini/gemini-embedding-001"], alias.Route.ToArray());
        Assert.Equal("gemini-embedding-001", config.EmbeddingModelOf(ConfigLoader.FreeEmbeddingsAlias));
        Assert.Null(config.EmbeddingModelOf(ConfigLoader.FreeFirstAlias));
        Assert.Equal("text-embedding-3-small", config.EmbeddingModelOf("openai/text-embedding-3-small"));
        Assert.Null(config.EmbeddingModelOf("openai/gpt-4o-mini"));
    }

    [Fact]
    public void FromEnvironment_OnlyAPaidEmbeddingModel_FreeEmbeddingsUsesIt()
    {
        var config = ConfigLoader.FromEnvironment(TestEnvironment.Of(("OPENAI_API_KEY", "sk-openai")));

        Assert.Equal(["openai/text-embedding-3-small"], config.FindAlias(ConfigLoader.FreeEmbeddingsAlias)!.Route.ToArray());
    }

    [Fact]
    public void FromEnvironment_NoProviderWithEmbeddings_NoEmbeddingsAlias()
    {
        var config = ConfigLoader.FromEnvironment(TestEnvironment.Of(("GROQ_API_KEY", "gsk-groq")));

        Assert.Null(config.FindAlias(ConfigLoader.FreeEmbeddingsAlias));
    }
}
