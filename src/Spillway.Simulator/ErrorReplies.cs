namespace Spillway.Simulator;

/// <summary>Renders an error in the real shape of the provider style.</summary>
internal static class ErrorReplies
{
    public static SimulatedReply Build(SimulatorStyle style, in ErrorFacts facts) => style switch
    {
        SimulatorStyle.Groq => GroqErrors.Build(facts),
        SimulatorStyle.OpenRouter => OpenRouterErrors.Build(facts),
        SimulatorStyle.Mistral => MistralErrors.Build(facts),
        SimulatorStyle.GeminiOpenAICompat => GeminiErrors.Build(facts, asArray: true),
        SimulatorStyle.GeminiNative => GeminiErrors.Build(facts, asArray: false),
        SimulatorStyle.Anthropic => AnthropicErrors.Build(facts),
        _ => OpenAIErrors.Build(facts),
    };
}
