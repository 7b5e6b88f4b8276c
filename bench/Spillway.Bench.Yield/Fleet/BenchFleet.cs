using Spillway.Core.Providers;
using Spillway.Simulator;

namespace Spillway.Bench.Yield.Fleet;

/// <summary>
/// The providers of the run, in the order zero-config's <c>free-first</c> alias would try them: four free tiers of
/// different styles (per-model minute and day caps, an account-wide day cap, a minute cap alone), then one paid key;
/// with <c>--unknown-limit</c>, first a free key on a custom provider whose limit nobody told the gateway.
/// </summary>
internal static class BenchFleet
{
    public const string Alias = "free-first";

    public static IReadOnlyList<FleetMember> Of(YieldOptions options) => options.UnknownLimitRpm is { } rpm
        ? [new FleetMember("unknown", null, SimulatorStyle.OpenAI, "local-model", KeyTier.Free, rpm), .. Presets]
        : Presets;

    private static IReadOnlyList<FleetMember> Presets { get; } =
    [
        new("gemini", "gemini", SimulatorStyle.GeminiOpenAICompat, "gemini-2.5-flash", KeyTier.Free),
        new("groq", "groq", SimulatorStyle.Groq, "llama-3.3-70b-versatile", KeyTier.Free),
        new("openrouter", "openrouter", SimulatorStyle.OpenRouter, "free", KeyTier.Free),
        new("mistral", "mistral", SimulatorStyle.Mistral, "mistral-small-latest", KeyTier.Free),
        new("openai", "openai", SimulatorStyle.OpenAI, "gpt-4o-mini", KeyTier.Paid),
    ];
}
