using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Spillway.Core.Chat;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;
using Spillway.Hosting;
using Spillway.Simulator;
using Spillway.TestSupport;

namespace Spillway.Tests.Support;

/// <summary>
/// A real gateway on Kestrel 127.0.0.1:0 in front of provider simulators on loopback, with its SQLite ledger in a
/// temporary folder (deleted on dispose), or in a folder the test owns and may start a second gateway on. Each
/// provider gets one key whose id is <c>{provider}-key</c>.
/// </summary>
internal sealed class TestGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory? _ownDataDirectory;

    private TestGateway(WebApplication app, ProviderSimulator simulator, SpillwayConfig config, TempDirectory? ownDataDirectory)
    {
        _ownDataDirectory = ownDataDirectory;
        _app = app;
        Simulator = simulator;
        Config = config;
        Address = app.BoundAddress();
        Http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ProviderSimulator Simulator { get; }

    public SpillwayConfig Config { get; }

    public Uri Address { get; }

    public HttpClient Http { get; }

    /// <summary>The running gateway's services, for a test that must reach into the host (its lifetime).</summary>
    public IServiceProvider Services => _app.Services;

    public SimulatedProvider this[string provider] => Simulator[provider];

    /// <summary>The secret of a provider's test key, to prove it never leaks.</summary>
    public static string SecretOf(string provider) => "sk-test-secret-value-for-" + provider + "-0123456789";

    public static async Task<TestGateway> StartAsync(
        IReadOnlyList<SimulatedProvider> providers,
        Func<ProviderSimulator, SpillwayConfig, SpillwayConfig>? configure = null,
        TimeProvider? time = null,
        EngineOptions? engine = null,
        string? dataDirectory = null,
        LogLevel logLevel = LogLevel.Warning,
        Action<ILoggingBuilder>? logging = null,
        Func<SpillwayAppOptions, SpillwayAppOptions>? host = null)
    {
        var simulator = await ProviderSimulator.StartAsync(providers);
        var config = new SpillwayConfig
        {
            Source = "test",
            Providers = [.. providers.Select(p => ProviderFor(simulator, p))],
            Models = [new ModelAliasConfig("chain", RoutingStrategy.Ordered, [.. providers.Select(p => p.Name + "/" + DefaultModel(p.Style))])],
        };
        config = configure?.Invoke(simulator, config) ?? config;
        var ownDataDirectory = dataDirectory is null ? new TempDirectory(create: false) : null;
        dataDirectory ??= ownDataDirectory!.Path;
        var options = new SpillwayAppOptions
        {
            Config = config,
            Urls = "http://127.0.0.1:0",
            DataDirectory = dataDirectory,
            Time = time ?? TimeProvider.System,
            LedgerBatchWindowTime = TimeProvider.System,
            Engine = engine ?? new EngineOptions(),
            LogLevel = logLevel,
            ConfigureLogging = logging,
        };
        var app = SpillwayApp.Build(host?.Invoke(options) ?? options);
        await app.StartAsync();
        return new TestGateway(app, simulator, config, ownDataDirectory);
    }

    public static string DefaultModel(SimulatorStyle style) => style switch
    {
        SimulatorStyle.Groq => "llama-3.3-70b-versatile",
        SimulatorStyle.OpenRouter => "meta-llama/llama-3.3-70b-instruct:free",
        SimulatorStyle.Mistral => "mistral-small-latest",
        SimulatorStyle.GeminiOpenAICompat or SimulatorStyle.GeminiNative => "gemini-2.5-flash",
        SimulatorStyle.Anthropic => "claude-haiku-4-5",
        _ => "gpt-4o-mini",
    };

    /// <summary>The provider config that reaches a simulator in its own wire format (Anthropic, Gemini native, OpenAI Responses or Chat Completions).</summary>
    public static ProviderConfig ProviderFor(ProviderSimulator simulator, SimulatedProvider provider) => new()
    {
        Id = provider.Name,
        Format = provider.Style switch
        {
            SimulatorStyle.Anthropic => WireFormat.Anthropic,
            SimulatorStyle.GeminiNative => WireFormat.Gemini,
            SimulatorStyle.OpenAIResponses => WireFormat.OpenAIResponses,
            _ => WireFormat.OpenAI,
        },
        Auth = provider.Style switch
        {
            SimulatorStyle.Anthropic => AuthStyle.XApiKey,
            SimulatorStyle.GeminiNative => AuthStyle.XGoogApiKey,
            _ => AuthStyle.Bearer,
        },
        BaseUrl = provider.Style == SimulatorStyle.GeminiNative
            ? new Uri(simulator.RootUrlOf(provider.Name), "v1beta")
            : simulator.BaseUrlOf(provider.Name),
        Keys = [new KeyConfig(provider.Name + "-key", new Secret(SecretOf(provider.Name)), provider.Style == SimulatorStyle.OpenAI ? KeyTier.Paid : KeyTier.Free, KeyLimits.Unknown)],
        RateLimits = provider.Style switch
        {
            SimulatorStyle.Groq => new RateLimitRules(RateLimitScheme.Groq, QuotaPerModel: true),
            SimulatorStyle.OpenRouter => new RateLimitRules(RateLimitScheme.OpenRouter),
            SimulatorStyle.Mistral => new RateLimitRules(RateLimitScheme.Mistral),
            SimulatorStyle.GeminiOpenAICompat or SimulatorStyle.GeminiNative =>
                new RateLimitRules(RateLimitScheme.Gemini, DailyResetRule.PacificMidnight, QuotaPerModel: true),
            SimulatorStyle.Anthropic => new RateLimitRules(RateLimitScheme.Anthropic),
            _ => new RateLimitRules(RateLimitScheme.OpenAI),
        },
        Models = [DefaultModel(provider.Style)],
    };

    public static StringContent ChatBody(string model, bool stream = false, bool? includeUsage = null, string extra = "")
    {
        var options = includeUsage is { } usage ? $",\"stream_options\":{{\"include_usage\":{(usage ? "true" : "false")}}}" : string.Empty;
        var json = $"{{\"model\":\"{model}\",\"stream\":{(stream ? "true" : "false")}{options}{DefaultTurn(extra)}{extra}}}";
        return new StringContent(json, Encoding.UTF8, "application/json");
    }

    /// <summary>An Anthropic Messages body asking <paramref name="model"/> to say hello.</summary>
    public static StringContent MessagesBody(string model, bool stream = false, string extra = "")
    {
        var json = $"{{\"model\":\"{model}\",\"max_tokens\":256,\"stream\":{(stream ? "true" : "false")}{DefaultTurn(extra)}{extra}}}";
        var content = new StringContent(json, Encoding.UTF8, "application/json");
        content.Headers.Add("anthropic-version", "2023-06-01");
        return content;
    }

    /// <summary>The "Say hello" turn, unless <paramref name="extra"/> brings its own messages (the gateway refuses a field sent twice).</summary>
    private static string DefaultTurn(string extra) =>
        extra.Contains("\"messages\":", StringComparison.Ordinal) ? string.Empty : ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]";

    public Task<HttpResponseMessage> MessagesAsync(string model, bool stream = false, string extra = "") =>
        Http.PostAsync("/v1/messages", MessagesBody(model, stream, extra));

    public Task<HttpResponseMessage> ChatAsync(string model, bool stream = false, bool? includeUsage = null, string extra = "") =>
        Http.PostAsync("/v1/chat/completions", ChatBody(model, stream, includeUsage, extra));

    /// <summary>The ledger as the admin API shows it, newest first.</summary>
    public async Task<JsonElement> LedgerAsync(int limit = 20)
    {
        using var response = await Http.GetAsync($"/admin/requests?limit={limit}");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Stops the gateway as SIGTERM does (the simulators keep running); <see cref="DisposeAsync"/> still cleans up.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Simulator.DisposeAsync();
        _ownDataDirectory?.Dispose();
    }
}
