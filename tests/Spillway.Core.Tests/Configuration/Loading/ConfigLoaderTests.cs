using Spillway.Core.Chat;
using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Tests.Configuration.Loading;

public sealed class ConfigLoaderTests
{
    // The contract's example, completed with the providers its routes name, plus one provider without a preset.
    private const string FullYaml = """
        providers:
          - id: groq                      # unique; used in routes as "groq/<model>"
            format: openai
            preset: groq
            base_url: https://api.groq.com/openai/v1
            may_train_on_prompts: false
            keys:
              - id: groq-1
                value: "gsk_test_value_1234"
                tier: free
                limits: { rpm: 30, rpd: 1000, tpm: 12000, tpd: 100000 }
          - id: gemini
            preset: gemini
            keys:
              - env: GEMINI_API_KEY
          - id: openrouter
            preset: openrouter
            headers: { HTTP-Referer: https://example.test }
            keys:
              - { id: or-1, env: OPENROUTER_API_KEY, limits: { rpd: 1000 } }
          - id: openai
            preset: openai
            timeouts: { first_token_seconds: 60 }
            keys:
              - { id: openai-1, env: OPENAI_API_KEY }
          - id: local
            format: openai
            base_url: http://localhost:11434/v1/
            models: [llama3.2]
        models:
          - id: free-first
            strategy: ordered
            route:
              - gemini/gemini-2.5-flash
              - groq/llama-3.3-70b-versatile
              - openrouter/free
              - openai/gpt-4o-mini
          - id: cheap
            strategy: cheapest
            route: [openai/gpt-4.1-nano, local/llama3.2]
        pricing:
          - route: openai/gpt-4o-mini
            input: 0.15
            output: 0.60
          - { route: local/llama3.2, input: 0, output: 0, cached_input: 0 }
        catalog:
          openrouter: { base_url: https://openrouter.ai/api/v1, refresh_minutes: 30 }
        timeouts:
          connect_seconds: 5
          first_token_seconds: 30
          idle_stream_seconds: 45
        auth:
          admin_token: "admin-secret-token"
          clients:
            - id: team-a
              value: "sk-spill-team-a"
              allow_paid: true
              budget_usd_per_day: 5
            - id: team-b
              env: TEAM_B_KEY
              allow_paid: false
        """;

    private static readonly IReadOnlyDictionary<string, string?> FullEnvironment = TestEnvironment.Of(
        ("GEMINI_API_KEY", "gemini-key-from-env"),
        ("OPENROUTER_API_KEY", "  sk-or-from-env\n"),
        ("OPENAI_API_KEY", "sk-openai-from-env"),
        ("TEAM_B_KEY", "sk-spill-team-b"));

    [Fact]
    public void Parse_FullConfig_MapsProvidersFromPresetsAndOverrides()
    {
        var config = ConfigLoader.Parse(FullYaml, "spillway.yaml", FullEnvironment);

        Assert.Equal("spillway.yaml", config.Source);
        Assert.Equal(["groq", "gemini", "openrouter", "openai", "local"], config.Providers.Select(p => p.Id));

        var groq = config.FindProvider("groq")!;
        Assert.Equal(WireFormat.OpenAI, groq.Format);
        Assert.Equal("groq", groq.Preset);
        Assert.Equal(new Uri("https://api.groq.com/openai/v1"), groq.BaseUrl);
        Assert.Equal(AuthStyle.Bearer, groq.Auth);
        Assert.False(groq.MayTrainOnPrompts);
        Assert.Equal(PromptTraining.None, groq.PresetTraining);
        Assert.Equal(new RateLimitRules(RateLimitScheme.Groq, DailyResetRule.UtcMidnight, QuotaPerModel: true), groq.RateLimits);
        Assert.Equal(["logprobs", "logit_bias", "top_logprobs"], groq.Quirks.Drop.ToArray());
        Assert.Contains("llama-3.3-70b-versatile", groq.Models);
        Assert.Null(groq.Timeouts);
        var groqKey = Assert.Single(groq.Keys);
        Assert.Equal("groq-1", groqKey.Id);
        Assert.Equal("gsk_test_value_1234", groqKey.Value.Reveal());
        Assert.Equal(KeyTier.Free, groqKey.Tier);
        Assert.Equal(new KeyLimits(30, 1000, 12000, 100000), groqKey.Limits);
        // The key's stated figures win over the preset's per-model ones too.
        Assert.Equal(new KeyLimits(30, 1000, 12000, 100000), groqKey.ModelLimits["llama-3.1-8b-instant"]);

        var gemini = config.FindProvider("gemini")!;
        Assert.Equal(new Uri("https://generativelanguage.googleapis.com/v1beta/openai"), gemini.BaseUrl);
        Assert.False(gemini.MayTrainOnPrompts);
        Assert.Equal(PromptTraining.FreeTierKeys, gemini.PresetTraining);
        Assert.Equal(DailyResetRule.PacificMidnight, gemini.RateLimits.DailyReset);
        var geminiKey = Assert.Single(gemini.Keys);
        Assert.Equal("gemini-1", geminiKey.Id);
        Assert.Equal("gemini-key-from-env", geminiKey.Value.Reveal());
        Assert.Equal(KeyTier.Free, geminiKey.Tier);

        var openRouter = config.FindProvider("openrouter")!;
        Assert.Equal("Spillway", openRouter.Headers["X-Title"]);
        Assert.Equal("https://example.test", openRouter.Headers["HTTP-Referer"]);
        var openRouterKey = Assert.Single(openRouter.Keys);
        Assert.Equal("sk-or-from-env", openRouterKey.Value.Reveal());
        Assert.Equal(new KeyLimits(20, 1000), openRouterKey.Limits);

        var openAi = config.FindProvider("openai")!;
        Assert.Equal(new TimeoutsConfig(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(45)), openAi.Timeouts);
        var openAiKey = Assert.Single(openAi.Keys);
        Assert.Equal(KeyTier.Paid, openAiKey.Tier);
        Assert.Equal(KeyLimits.Unknown, openAiKey.Limits);
        Assert.Empty(openAiKey.ModelLimits);

        var local = config.FindProvider("local")!;
        Assert.Null(local.Preset);
        Assert.Equal(new Uri("http://localhost:11434/v1"), local.BaseUrl);
        Assert.Equal(AuthStyle.Bearer, local.Auth);
        Assert.Equal(RateLimitRules.Default, local.RateLimits);
        Assert.True(local.Quirks.IsEmpty);
        Assert.Equal(["llama3.2"], local.Models.ToArray());
        Assert.Empty(local.Keys);
    }

    [Fact]
    public void Parse_FullConfig_MapsAliasesPricingCatalogTimeoutsAndAuth()
    {
        var config = ConfigLoader.Parse(FullYaml, "spillway.yaml", FullEnvironment);

        Assert.Equal(2, config.Models.Length);
        var freeFirst = config.FindAlias("free-first")!;
        Assert.Equal(RoutingStrategy.Ordered, freeFirst.Strategy);
        Assert.Equal(["gemini/gemini-2.5-flash", "groq/llama-3.3-70b-versatile", "openrouter/free", "openai/gpt-4o-mini"], freeFirst.Route.ToArray());
        var cheap = config.FindAlias("cheap")!;
        Assert.Equal(RoutingStrategy.Cheapest, cheap.Strategy);
        Assert.Equal(["openai/gpt-4.1-nano", "local/llama3.2"], cheap.Route.ToArray());

        Assert.Equal(
            [new PriceOverride("openai/gpt-4o-mini", 0.15m, 0.60m), new PriceOverride("local/llama3.2", 0m, 0m, 0m)],
            config.Pricing.ToArray());

        Assert.Equal(new OpenRouterCatalogConfig(new Uri("https://openrouter.ai/api/v1"), 30), config.Catalog.OpenRouter);
        Assert.Equal(new TimeoutsConfig(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(45)), config.Timeouts);

        Assert.Equal(new Secret("admin-secret-token"), config.Auth.AdminToken);
        Assert.Collection(
            config.Auth.Clients,
            a =>
            {
                Assert.Equal(("team-a", ClientKeyHash.Of("sk-spill-team-a"), true, 5m), (a.Id, a.KeyHash, a.AllowPaid, a.BudgetUsdPerDay));
                Assert.Empty(a.AllowedModels);
            },
            b => Assert.Equal(("team-b", ClientKeyHash.Of("sk-spill-team-b"), false, (decimal?)null), (b.Id, b.KeyHash, b.AllowPaid, b.BudgetUsdPerDay)));
    }

    [Fact]
    public void Parse_ClientAllowance_ReadsBudgetsRpmModelsAndDataPolicy()
    {
        var hash = ClientKeyHash.Of("sk-spill-stored");
        var yaml = $$"""
            auth:
              clients:
                - id: team-a
                  value: sk-spill-team-a
                  allow_paid: false
                  budget_usd_per_day: 0.5
                  budget_usd_per_month: 10
                  rpm: 60
                  models: [free-first, groq/llama-3.3-70b-versatile]
                  data_policy: no-train
                - { id: team-b, key_sha256: {{hash.ToUpperInvariant()}} }
            """;

        var clients = ConfigLoader.Parse(yaml, "spillway.yaml", TestEnvironment.Empty).Auth.Clients;

        var a = clients[0];
        Assert.Equal((false, 0.5m, 10m, 60, true), (a.AllowPaid, a.BudgetUsdPerDay, a.BudgetUsdPerMonth, a.RequestsPerMinute, a.NoTrain));
        Assert.Equal(["free-first", "groq/llama-3.3-70b-versatile"], a.AllowedModels.ToArray());
        Assert.True(a.MayUse("free-first"));
        Assert.False(a.MayUse("openai/gpt-4o"));
        var b = clients[1];
        Assert.Equal(hash, b.KeyHash);
        Assert.Equal((true, (decimal?)null, (int?)null, false, true), (b.AllowPaid, b.BudgetUsdPerDay, b.RequestsPerMinute, b.NoTrain, b.MayUse("anything")));
        Assert.DoesNotContain("sk-spill-team-a", a.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyDocument_ReturnsEmptyConfigWithDefaults()
    {
        var config = ConfigLoader.Parse("# nothing configured yet\n", "spillway.yaml", TestEnvironment.Empty);

        Assert.Empty(config.Providers);
        Assert.Empty(config.Models);
        Assert.Equal(TimeoutsConfig.Default, config.Timeouts);
        Assert.Same(AuthConfig.None, config.Auth);
        Assert.Same(CatalogConfig.None, config.Catalog);
        Assert.Equal("spillway.yaml", config.Source);
    }

    [Fact]
    public void Parse_PresetOnly_FillsEverythingFromThePreset()
    {
        var config = ConfigLoader.Parse("""
            providers:
              - id: mistral
                preset: mistral
                keys: [{ env: MISTRAL_API_KEY }]
            """, "spillway.yaml", TestEnvironment.Of(("MISTRAL_API_KEY", "m-key")));

        var mistral = Assert.Single(config.Providers);
        Assert.Equal(new Uri("https://api.mistral.ai/v1"), mistral.BaseUrl);
        Assert.Equal("random_seed", mistral.Quirks.Rename["seed"]);
        Assert.False(mistral.Quirks.AcceptsStreamOptions);
        Assert.Equal(new KeyLimits(Rpm: 60, Tpm: 500000), mistral.Keys[0].Limits);
        Assert.Equal("mistral-1", mistral.Keys[0].Id);
    }

    [Fact]
    public void Parse_Prefill_FromThePresetTheFormatOrTheProvidersOwnField()
    {
        var config = ConfigLoader.Parse("""
            providers:
              - { id: mistral, preset: mistral }
              - { id: groq, preset: groq }
              - { id: openai, preset: openai }
              - { id: claude, preset: anthropic }
              - { id: gemini-native, preset: gemini, format: gemini }
              - { id: local, format: openai, base_url: "http://127.0.0.1:8080/v1", prefill: message }
            models:
              - { id: strict, route: [groq/llama-3.3-70b-versatile], on_stream_failure: error }
              - { id: default, route: [groq/llama-3.3-70b-versatile] }
            """, "spillway.yaml", TestEnvironment.Empty);

        Assert.Equal(
            [AssistantPrefill.PrefixFlag, AssistantPrefill.Message, AssistantPrefill.None, AssistantPrefill.Message, AssistantPrefill.None, AssistantPrefill.Message],
            config.Providers.Select(p => p.Prefill));
        Assert.Equal([StreamFailureMode.Error, StreamFailureMode.Continue], config.Models.Select(m => m.OnStreamFailure));
    }

    [Fact]
    public void Parse_ShutdownGrace_DefaultsBelowDockersStopGraceAndOnlyTheConfigWideTimeoutsTakeIt()
    {
        Assert.Equal(TimeSpan.FromSeconds(8), ConfigLoader.Parse("", "spillway.yaml", TestEnvironment.Empty).ShutdownGrace);
        Assert.Equal(TimeSpan.FromSeconds(3), ConfigLoader.Parse("timeouts: { shutdown_grace_seconds: 3 }\n", "spillway.yaml", TestEnvironment.Empty).ShutdownGrace);
        Assert.Throws<ConfigException>(() => ConfigLoader.Parse(
            "providers:\n  - { id: p, format: openai, base_url: \"http://127.0.0.1/v1\", timeouts: { shutdown_grace_seconds: 3 } }\n", "spillway.yaml", TestEnvironment.Empty));
    }

    [Theory]
    [InlineData("providers:\n  - { id: p, format: openai, base_url: \"http://127.0.0.1/v1\", prefill: yes }\n", "unknown prefill 'yes' (expected message, prefix or none)")]
    [InlineData("providers:\n  - { id: p, format: openai, base_url: \"http://127.0.0.1/v1\" }\nmodels:\n  - { id: a, route: [p/m], on_stream_failure: retry }\n",
        "unknown on_stream_failure 'retry' (expected continue or error)")]
    public void Parse_UnknownContinuationSetting_RefusedWithTheChoices(string yaml, string message)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "spillway.yaml", TestEnvironment.Empty));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PresetWithItsOtherFormat_UsesThatEndpointAndDropsOpenAIQuirks()
    {
        var config = ConfigLoader.Parse("""
            providers:
              - id: gemini-native
                preset: gemini
                format: gemini
            """, "spillway.yaml", TestEnvironment.Empty);

        var provider = Assert.Single(config.Providers);
        Assert.Equal(WireFormat.Gemini, provider.Format);
        Assert.Equal(new Uri("https://generativelanguage.googleapis.com/v1beta"), provider.BaseUrl);
        Assert.Equal(AuthStyle.XGoogApiKey, provider.Auth);
        Assert.True(provider.Quirks.IsEmpty);
    }

    [Fact]
    public void Parse_OpenAIPresetInTheResponsesFormat_UsesItsResponsesEndpointWithTheSameModelsAndLimits()
    {
        var config = ConfigLoader.Parse("""
            providers:
              - id: openai-responses
                preset: openai
                format: openai-responses
            """, "spillway.yaml", TestEnvironment.Empty);

        var provider = Assert.Single(config.Providers);
        Assert.Equal(WireFormat.OpenAIResponses, provider.Format);
        Assert.Equal(new Uri("https://api.openai.com/v1"), provider.BaseUrl);
        Assert.Equal(AuthStyle.Bearer, provider.Auth);
        Assert.Contains("gpt-4o-mini", provider.Models);
    }

    [Fact]
    public void Parse_MaxOutputTokens_PresetFiguresUnlessTheProviderGivesItsOwn()
    {
        var config = ConfigLoader.Parse("""
            providers:
              - id: claude
                preset: anthropic
              - id: local
                format: anthropic
                base_url: https://proxy.example.test/v1
                models: [claude-haiku-4-5]
                max_output_tokens: { claude-haiku-4-5: 8000 }
            """, "spillway.yaml", TestEnvironment.Empty);

        Assert.Equal(64000, config.Providers[0].MaxOutputTokensOf("claude-haiku-4-5"));
        Assert.Equal(32000, config.Providers[0].MaxOutputTokensOf("claude-opus-4-1"));
        Assert.Equal(8000, config.Providers[1].MaxOutputTokensOf("claude-haiku-4-5"));
        Assert.Null(config.Providers[1].MaxOutputTokensOf("other"));
    }

    [Fact]
    public void Parse_MaxOutputTokensZero_RefusedWithItsPath()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""
            providers:
              - id: local
                format: openai
                base_url: https://proxy.example.test/v1
                max_output_tokens: { m: 0 }
            """, "spillway.yaml", TestEnvironment.Empty));

        Assert.Contains("providers[0].max_output_tokens.m", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AnthropicWithoutPreset_DefaultsToXApiKeyAuth()
    {
        var config = ConfigLoader.Parse("""
            providers:
              - id: claude-proxy
                format: anthropic
                base_url: https://proxy.example.test/v1
                auth: bearer
              - id: claude
                format: anthropic
                base_url: https://api.anthropic.com/v1
            """, "spillway.yaml", TestEnvironment.Empty);

        Assert.Equal(AuthStyle.Bearer, config.Providers[0].Auth);
        Assert.Equal(AuthStyle.XApiKey, config.Providers[1].Auth);
    }

    [Fact]
    public void Parse_PartialKeyLimits_OverrideOnlyThoseFieldsOfThePresetFigures()
    {
        var config = ConfigLoader.Parse("""
            providers:
              - id: groq
                preset: groq
                keys: [{ value: gsk-dev, limits: { rpd: 5000 } }]
            """, "spillway.yaml", TestEnvironment.Empty);

        var key = config.Providers[0].Keys[0];
        Assert.Equal(new KeyLimits(Rpd: 5000), key.Limits);
        Assert.Equal(new KeyLimits(30, 5000, 6000), key.ModelLimits["llama-3.1-8b-instant"]);
        Assert.Equal(new KeyLimits(30, 5000, 12000, 100000), key.ModelLimits["llama-3.3-70b-versatile"]);
    }

    [Fact]
    public void Parse_KeyTierPaidOnFreePreset_StartsWithoutFreeTierLimits()
    {
        var config = ConfigLoader.Parse("""
            providers:
              - id: groq
                preset: groq
                keys: [{ value: gsk-paid, tier: paid }]
            """, "spillway.yaml", TestEnvironment.Empty);

        var key = config.Providers[0].Keys[0];
        Assert.Equal(KeyTier.Paid, key.Tier);
        Assert.Equal(KeyLimits.Unknown, key.Limits);
        Assert.Empty(key.ModelLimits);
    }

    [Fact]
    public void Parse_AdminTokenFromEnvironment_ReadsTheVariable()
    {
        var config = ConfigLoader.Parse("""
            auth:
              admin_token: { env: SPILLWAY_ADMIN_TOKEN }
            """, "spillway.yaml", TestEnvironment.Of(("SPILLWAY_ADMIN_TOKEN", "from-env-token")));

        Assert.Equal("from-env-token", config.Auth.AdminToken!.Reveal());
    }

    [Fact]
    public void LoadFile_ExistingFile_ReadsItAndRecordsThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"spillway-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "timeouts: { connect_seconds: 2.5 }\n");
        try
        {
            var config = ConfigLoader.LoadFile(path, TestEnvironment.Empty);

            Assert.Equal(path, config.Source);
            Assert.Equal(TimeSpan.FromSeconds(2.5), config.Timeouts.Connect);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
