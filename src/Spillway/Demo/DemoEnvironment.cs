using Spillway.Core.Chat;
using Spillway.Core.Configuration;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;
using Spillway.Simulator;

namespace Spillway.Demo;

/// <summary>
/// <c>serve --demo</c>: SIMULATED providers on loopback in this process, with small free tiers that run out after a
/// few requests, chained by a <c>free-first</c> alias, so a newcomer watches the fallback without any key.
/// Every simulated answer says it is simulated, and so do the provider ids and the <c>x-spillway-demo</c> header.
/// </summary>
internal sealed class DemoEnvironment : IAsyncDisposable
{
    private readonly ProviderSimulator _simulator;

    private DemoEnvironment(ProviderSimulator simulator, SpillwayConfig config)
    {
        _simulator = simulator;
        Config = config;
    }

    public SpillwayConfig Config { get; }

    public static async Task<DemoEnvironment> StartAsync(CancellationToken cancellationToken)
    {
        var gemini = new SimulatedProvider("demo-gemini", SimulatorStyle.GeminiOpenAICompat) { RequestsPerMinute = 2 };
        var groq = new SimulatedProvider("demo-groq", SimulatorStyle.Groq) { RequestsPerDay = 3 };
        var openrouter = new SimulatedProvider("demo-openrouter", SimulatorStyle.OpenRouter) { RequestsPerDay = 3 };
        var openai = new SimulatedProvider("demo-openai", SimulatorStyle.OpenAI);
        var simulator = await ProviderSimulator.StartAsync([gemini, groq, openrouter, openai], cancellationToken: cancellationToken);

        ProviderConfig Provider(string id, KeyTier tier, RateLimitRules rules, bool mayTrain, params string[] models) => new()
        {
            Id = id,
            Format = WireFormat.OpenAI,
            BaseUrl = simulator.BaseUrlOf(id),
            MayTrainOnPrompts = mayTrain,
            Keys = [new KeyConfig(id + "-key", new Secret("demo-not-a-real-key-" + id), tier, KeyLimits.Unknown)],
            RateLimits = rules,
            Models = [.. models],
            Simulated = true,
        };

        var config = new SpillwayConfig
        {
            Source = "demo (simulated providers)",
            Providers =
            [
                Provider("demo-gemini", KeyTier.Free, new RateLimitRules(RateLimitScheme.Gemini, DailyResetRule.PacificMidnight, QuotaPerModel: true), true, "gemini-2.5-flash"),
                Provider("demo-groq", KeyTier.Free, new RateLimitRules(RateLimitScheme.Groq, QuotaPerModel: true), false, "llama-3.3-70b-versatile"),
                Provider("demo-openrouter", KeyTier.Free, new RateLimitRules(RateLimitScheme.OpenRouter), true, "meta-llama/llama-3.3-70b-instruct:free"),
                Provider("demo-openai", KeyTier.Paid, new RateLimitRules(RateLimitScheme.OpenAI), false, "gpt-4o-mini"),
            ],
            Models =
            [
                new ModelAliasConfig("free-first", RoutingStrategy.FreeFirst,
                [
                    "demo-gemini/gemini-2.5-flash",
                    "demo-groq/llama-3.3-70b-versatile",
                    "demo-openrouter/meta-llama/llama-3.3-70b-instruct:free",
                    "demo-openai/gpt-4o-mini",
                ]),
            ],
            Pricing = [new PriceOverride("demo-openai/gpt-4o-mini", 0.15m, 0.60m, 0.075m)],
        };
        return new DemoEnvironment(simulator, config);
    }

    public ValueTask DisposeAsync() => _simulator.DisposeAsync();
}
