namespace Spillway.Simulator;

/// <summary>
/// Which real provider a <see cref="SimulatedProvider"/> (a simulator, never the real service) imitates. The success bodies are the OpenAI
/// chat-completions shape for every style; the style decides the error bodies (429, 401, 5xx, …), the
/// rate-limit headers and a few vendor extras, copied from recorded real traffic.
/// </summary>
public enum SimulatorStyle
{
    /// <summary>OpenAI (<c>api.openai.com/v1</c>): <c>{"error":{message,type,param,code}}</c>, per-minute <c>x-ratelimit-*</c> headers.</summary>
    OpenAI,

    /// <summary>Groq (<c>api.groq.com/openai/v1</c>): OpenAI envelope, <c>x-ratelimit-*-requests</c> count requests per DAY.</summary>
    Groq,

    /// <summary>OpenRouter (<c>openrouter.ai/api/v1</c>): <c>{"error":{code,message,metadata}}</c>, free-model caps, keep-alive comments.</summary>
    OpenRouter,

    /// <summary>Mistral (<c>api.mistral.ai/v1</c>): bare or typed <c>{"object":"error",…}</c> bodies, token-minute/month headers.</summary>
    Mistral,

    /// <summary>Gemini's OpenAI-compatible endpoint: errors are a JSON ARRAY of google.rpc.Status objects.</summary>
    GeminiOpenAICompat,
}
