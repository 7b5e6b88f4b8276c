namespace Spillway.Simulator;

/// <summary>
/// The limits quoted in a scripted 429 when the provider has no configured quota, so the message still reads
/// like the vendor's: the values of the recorded samples or the documented free tiers.
/// </summary>
internal static class FreeTierDefaults
{
    public static int PerMinute(SimulatorStyle style) => style switch
    {
        SimulatorStyle.OpenAI or SimulatorStyle.OpenAIResponses => 3,        // "Limit 3" in the recorded RPM 429 (fixtures/openai-429-samples.json)
        SimulatorStyle.Groq => 30,         // the rpm of the Groq example in the config contract
        SimulatorStyle.OpenRouter => 20,   // documented :free cap per minute
        SimulatorStyle.Mistral => 60,      // the free plan's ≈1 request per second
        SimulatorStyle.Anthropic => 50,    // documented Tier 1 requests per minute
        _ => 10,                           // Gemini free tier, approximate
    };

    public static int PerDay(SimulatorStyle style) => style switch
    {
        SimulatorStyle.OpenAI or SimulatorStyle.OpenAIResponses => 200,      // approximate; only the shape of the message matters
        SimulatorStyle.Groq => 1_000,      // the rpd of the Groq example in the config contract
        SimulatorStyle.OpenRouter => 50,   // documented :free cap per day below 10 purchased credits
        SimulatorStyle.Mistral => 1_000,   // Mistral has no daily cap; any number reads right
        SimulatorStyle.Anthropic => 1_000, // Anthropic has no daily request cap; any number reads right
        _ => 250,                          // Gemini free tier, approximate
    };

    /// <summary>The wait announced by a scripted per-minute 429 without its own: the 20 s of the recorded OpenAI sample.</summary>
    public static readonly TimeSpan RateLimitedWait = TimeSpan.FromSeconds(20);
}
