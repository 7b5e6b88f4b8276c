namespace Spillway.Simulator;

/// <summary>
/// Which real provider a <see cref="SimulatedProvider"/> (a simulator, never the real service) imitates. The
/// OpenAI-format styles (the first five) answer <c>/v1/chat/completions</c> with OpenAI success bodies and the
/// vendor's error bodies, rate-limit headers and extras; <see cref="Anthropic"/> and <see cref="GeminiNative"/>
/// speak their vendor's own wire format instead. Shapes are copied from recorded real traffic.
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

    /// <summary>
    /// Anthropic Messages API (<c>api.anthropic.com</c>): <c>POST /v1/messages</c>, named SSE events,
    /// <c>{"type":"error","error":{type,message},"request_id"}</c> errors, <c>anthropic-ratelimit-*</c> headers.
    /// </summary>
    Anthropic,

    /// <summary>
    /// Gemini's native API (<c>generativelanguage.googleapis.com/v1beta</c>): <c>models/{model}:generateContent</c>
    /// and <c>:streamGenerateContent?alt=sse</c>, google.rpc.Status error objects (not the compat array).
    /// </summary>
    GeminiNative,

    /// <summary>
    /// OpenAI's Responses API (<c>api.openai.com/v1/responses</c>): <c>response</c> objects and the named
    /// <c>response.*</c> event stream with sequence numbers; OpenAI's error bodies and rate-limit headers.
    /// </summary>
    OpenAIResponses,
}
