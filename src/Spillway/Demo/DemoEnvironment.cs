using Microsoft.Data.Sqlite;
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
/// Each demo starts fresh in its own data folder, a new <c>spillway-demo-*</c> folder under the system temp folder
/// deleted on dispose, so its spent free tiers and ledger rows never reach the user's data folder nor the next demo.
/// A crash leaves the folder to the system's temp cleanup: sweeping old <c>spillway-demo-*</c> folders at start could
/// delete the database of another demo still running.
/// </summary>
internal sealed class DemoEnvironment : IAsyncDisposable
{
    private readonly ProviderSimulator _simulator;

    private DemoEnvironment(ProviderSimulator simulator, SpillwayConfig config, string dataDirectory)
    {
        _simulator = simulator;
        Config = config;
        DataDirectory = dataDirectory;
    }

    public SpillwayConfig Config { get; }

    /// <summary>The demo's own data folder (database of the ledger and key state), discarded on dispose.</summary>
    public string DataDirectory { get; }

    public static async Task<DemoEnvironment> StartAsync(CancellationToken cancellationToken)
    {
        var gemini = new SimulatedProvider("demo-gemini", SimulatorStyle.GeminiOpenAICompat) { RequestsPerMinute = 2 };
        var groq = new SimulatedProvider("demo-groq", SimulatorStyle.Groq) { RequestsPerDay = 3 };
        var openrouter = new SimulatedProvider("demo-openrouter", SimulatorStyle.OpenRouter) { RequestsPerDay = 3 };
        var openai = new SimulatedProvider("demo-openai", SimulatorStyle.OpenAI);

        // POST /v1/embeddings in the demo: Gemini's native embed API (answers translated to OpenAI's shape) with its
        // own small free tier, so the chat chain's fallback is not changed by it.
        var embed = new SimulatedProvider("demo-gemini-embed", SimulatorStyle.GeminiNative) { RequestsPerMinute = 5 };
        var simulator = await ProviderSimulator.StartAsync([gemini, groq, openrouter, openai, embed], cancellationToken: cancellationToken);

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

            // As their presets say: these hosts continue a trailing assistant message (a broken stream's continuation).
            Prefill = id is "demo-groq" or "demo-openrouter" ? AssistantPrefill.Message : AssistantPrefill.None,
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
                Provider("demo-gemini-embed", KeyTier.Free, new RateLimitRules(RateLimitScheme.Gemini, DailyResetRule.PacificMidnight, QuotaPerModel: true), true) with
                {
                    Format = WireFormat.Gemini,
                    Auth = AuthStyle.XGoogApiKey,
                    BaseUrl = new Uri(simulator.RootUrlOf("demo-gemini-embed"), "v1beta"),
                    EmbeddingModels = ["gemini-embedding-001"],
                },
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
                new ModelAliasConfig(Core.Configuration.Loading.ConfigLoader.FreeEmbeddingsAlias, RoutingStrategy.FreeFirst, ["demo-gemini-embed/gemini-embedding-001"]),
            ],
            Pricing = [new PriceOverride("demo-openai/gpt-4o-mini", 0.15m, 0.60m, 0.075m)],
        };
        var dataDirectory = Directory.CreateTempSubdirectory("spillway-demo-").FullName;
        return new DemoEnvironment(simulator, config, dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await _simulator.DisposeAsync();
        try
        {
            // Pooled connections keep the database file open, which would stop the delete on Windows.
            SqliteConnection.ClearAllPools();
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a folder left in the temp folder holds only simulated calls.
        }
    }
}
