namespace Spillway.Simulator;

/// <summary>The request/response format a simulated provider speaks, which decides the routes it answers.</summary>
internal enum WireFormat
{
    /// <summary>OpenAI chat completions (<c>/v1/chat/completions</c>, <c>/v1/models</c>).</summary>
    OpenAIChat,

    /// <summary>Anthropic Messages (<c>/v1/messages</c>).</summary>
    AnthropicMessages,

    /// <summary>Gemini native (<c>/v1beta/models/{model}:generateContent</c>, <c>:streamGenerateContent</c>, <c>/v1beta/models</c>).</summary>
    GeminiNative,

    /// <summary>OpenAI Responses (<c>/v1/responses</c>).</summary>
    OpenAIResponses,
}
