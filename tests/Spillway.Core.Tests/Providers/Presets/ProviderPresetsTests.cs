using Spillway.Core.Chat;
using Spillway.Core.Providers;
using Spillway.Core.Providers.Presets;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Tests.Providers.Presets;

public sealed class ProviderPresetsTests
{
    public static TheoryData<string, string, KeyTier> Expected { get; } = new()
    {
        { "gemini", "GEMINI_API_KEY", KeyTier.Free },
        { "groq", "GROQ_API_KEY", KeyTier.Free },
        { "cerebras", "CEREBRAS_API_KEY", KeyTier.Free },
        { "openrouter", "OPENROUTER_API_KEY", KeyTier.Free },
        { "mistral", "MISTRAL_API_KEY", KeyTier.Free },
        { "github-models", "GITHUB_TOKEN", KeyTier.Free },
        { "openai", "OPENAI_API_KEY", KeyTier.Paid },
        { "anthropic", "ANTHROPIC_API_KEY", KeyTier.Paid },
        { "deepinfra", "DEEPINFRA_API_KEY", KeyTier.Paid },
        { "together", "TOGETHER_API_KEY", KeyTier.Paid },
        { "fireworks", "FIREWORKS_API_KEY", KeyTier.Paid },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Find_KnownPreset_HasKeyVariableAndDefaultTier(string id, string variable, KeyTier tier)
    {
        var preset = ProviderPresets.Find(id);

        Assert.NotNull(preset);
        Assert.Equal(variable, preset.KeyEnvironmentVariable);
        Assert.Equal(tier, preset.DefaultTier);
    }

    [Fact]
    public void All_FreePresetsFirst_InFreeFirstOrder()
    {
        Assert.Equal(
            ["gemini", "groq", "cerebras", "openrouter", "mistral", "github-models", "openai", "anthropic", "deepinfra", "together", "fireworks"],
            ProviderPresets.Ids);
    }

    [Fact]
    public void All_BaseUrls_AreAbsoluteHttpsWithoutTrailingSlash()
    {
        foreach (var preset in ProviderPresets.All)
        {
            foreach (var url in preset.OtherEndpoints.Select(e => e.BaseUrl).Prepend(preset.BaseUrl))
            {
                Assert.True(url.IsAbsoluteUri, preset.Id);
                Assert.Equal(Uri.UriSchemeHttps, url.Scheme);
                Assert.False(url.OriginalString.EndsWith('/'), $"{preset.Id}: {url}");
            }
        }
    }

    [Fact]
    public void All_FreePresetsHaveFreeModelsAndPaidOnesCheapModels_AllListedAsModels()
    {
        foreach (var preset in ProviderPresets.All)
        {
            var chain = preset.DefaultTier == KeyTier.Free
                ? preset.FreeModels.Select(m => m.Model)
                : preset.CheapModels.Select(m => m.Model);
            Assert.NotEmpty(chain);
            Assert.All(chain, model => Assert.Contains(model, preset.Models));
        }
    }

    [Fact]
    public void All_FreeModelFigures_CarrySourceAndDate()
    {
        foreach (var model in ProviderPresets.All.SelectMany(p => p.FreeModels))
        {
            Assert.False(string.IsNullOrWhiteSpace(model.Source), model.Model);
            Assert.Matches(@"^\d{4}-\d{2}(-\d{2})?$", model.AsOf);
            Assert.NotEqual(KeyLimits.Unknown, model.Limits);
        }
    }

    [Fact]
    public void Find_Gemini_UsesOpenAICompatibleEndpointAndPacificDailyReset()
    {
        var gemini = ProviderPresets.Find("gemini")!;

        Assert.Equal(WireFormat.OpenAI, gemini.Format);
        Assert.Equal(new Uri("https://generativelanguage.googleapis.com/v1beta/openai"), gemini.BaseUrl);
        Assert.Equal(AuthStyle.Bearer, gemini.Auth);
        Assert.True(gemini.ErrorsAsArray);
        Assert.Equal(PromptTraining.FreeTierKeys, gemini.Training);
        Assert.Equal(new RateLimitRules(RateLimitScheme.Gemini, DailyResetRule.PacificMidnight, QuotaPerModel: true), gemini.RateLimits);
        Assert.Equal(new KeyLimits(10, 250, 250000), gemini.FreeModels[0].Limits);
        Assert.Equal(new PresetEndpoint(WireFormat.Gemini, new Uri("https://generativelanguage.googleapis.com/v1beta"), AuthStyle.XGoogApiKey), gemini.EndpointFor(WireFormat.Gemini));
        Assert.Null(gemini.EndpointFor(WireFormat.Anthropic));
    }

    [Fact]
    public void Find_Groq_DropsUnsupportedFieldsAndCountsPerModel()
    {
        var groq = ProviderPresets.Find("groq")!;

        Assert.Equal(["logprobs", "logit_bias", "top_logprobs"], groq.Quirks.Drop.ToArray());
        Assert.Empty(groq.Quirks.Rename);
        Assert.True(groq.Quirks.AcceptsStreamOptions);
        Assert.Equal(new RateLimitRules(RateLimitScheme.Groq, DailyResetRule.UtcMidnight, QuotaPerModel: true), groq.RateLimits);
        Assert.Equal(new KeyLimits(30, 1000, 12000, 100000), groq.FreeModels.Single(m => m.Model == "llama-3.3-70b-versatile").Limits);
        Assert.Equal(new KeyLimits(30, 14400, 6000), groq.FreeModels.Single(m => m.Model == "llama-3.1-8b-instant").Limits);
    }

    [Fact]
    public void Find_Mistral_RenamesSeedAndRefusesStreamOptions()
    {
        var mistral = ProviderPresets.Find("mistral")!;

        Assert.Empty(mistral.Quirks.Drop);
        Assert.Equal("random_seed", mistral.Quirks.Rename["seed"]);
        Assert.False(mistral.Quirks.AcceptsStreamOptions);
        Assert.Equal(RateLimitScheme.Mistral, mistral.RateLimits.Scheme);
    }

    [Fact]
    public void Find_OpenRouter_HasAccountWideFreeCapsResettingAtUtcMidnight()
    {
        var openRouter = ProviderPresets.Find("openrouter")!;

        Assert.Equal(new KeyLimits(Rpm: 20, Rpd: 50), openRouter.KeyLimits);
        Assert.Equal(new RateLimitRules(RateLimitScheme.OpenRouter, DailyResetRule.UtcMidnight, QuotaPerModel: false), openRouter.RateLimits);
        Assert.Equal(PromptTraining.FreeModels, openRouter.Training);
        Assert.Equal("free", openRouter.FreeModels.Single().Model);
    }

    [Fact]
    public void Find_PaidPresets_DoNotTrainOnPrompts()
    {
        Assert.All(ProviderPresets.All.Where(p => p.DefaultTier == KeyTier.Paid), p => Assert.Equal(PromptTraining.None, p.Training));
    }

    [Fact]
    public void Find_Anthropic_SpeaksAnthropicWithXApiKey()
    {
        var anthropic = ProviderPresets.Find("anthropic")!;

        Assert.Equal(WireFormat.Anthropic, anthropic.Format);
        Assert.Equal(AuthStyle.XApiKey, anthropic.Auth);
        Assert.Equal(RateLimitScheme.Anthropic, anthropic.RateLimits.Scheme);
    }

    [Fact]
    public void Find_OpenAI_PinsCheapModelPrices()
    {
        var openAi = ProviderPresets.Find("openai")!;

        Assert.Equal(new PresetPaidModel("gpt-4o-mini", 0.15m, 0.60m, 0.075m, openAi.CheapModels[0].Source, "2026-07"), openAi.CheapModels[0]);
    }

    [Fact]
    public void Find_UnknownId_ReturnsNull()
    {
        Assert.Null(ProviderPresets.Find("grok"));
        Assert.False(ProviderPresets.TryGet("GROQ", out _));
    }

    [Theory]
    [InlineData("gemini", "gemini-2.5-flash", true, true, true, 1048576)]
    [InlineData("groq", "llama-3.3-70b-versatile", true, false, true, 131072)]
    [InlineData("groq", "meta-llama/llama-4-scout-17b-16e-instruct", true, true, null, 131072)]
    [InlineData("github-models", "openai/gpt-4o-mini", true, true, true, 8000)]
    [InlineData("openai", "gpt-4o-mini", true, true, true, 128000)]
    [InlineData("anthropic", "claude-haiku-4-5", true, true, null, 200000)]
    public void Capabilities_KnownModel_AsTheVendorDocumentsThem(string id, string model, bool? tools, bool? vision, bool? json, int? context)
    {
        var preset = ProviderPresets.Find(id)!;

        Assert.Equal(new ModelCapabilities(tools, vision, json, context), preset.Capabilities[model]);
        Assert.Equal(preset.Capabilities, preset.ToProviderConfig(id, []).Capabilities);
    }

    [Fact]
    public void Capabilities_OpenRouterFreeRouter_LeftUnknown()
    {
        Assert.False(ProviderPresets.Find("openrouter")!.Capabilities.ContainsKey("free"));
    }

    [Fact]
    public void Capabilities_EveryDescribedModel_IsOneThePresetLists()
    {
        foreach (var preset in ProviderPresets.All)
        {
            Assert.All(preset.Capabilities.Keys, model => Assert.Contains(model, preset.Models));
        }
    }
}
