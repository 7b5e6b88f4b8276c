namespace Spillway.Simulator;

/// <summary>The kinds of scripted misbehaviour a <see cref="SimulatedProvider"/> (a test tool) can be told to show.</summary>
public enum SimulatedFaultKind
{
    /// <summary>A per-minute 429 in the style's real shape.</summary>
    RateLimited,

    /// <summary>
    /// OpenRouter style: the 429 a model's upstream provider gave (<c>metadata.provider_code</c>, wire-facts §5.2):
    /// that model is busy, other models on the same key still work. Other styles answer their per-minute 429.
    /// </summary>
    UpstreamRateLimited,

    /// <summary>A per-day / billing 429 (<c>insufficient_quota</c> for OpenAI) that a gateway must treat as "quota gone".</summary>
    QuotaExhausted,

    /// <summary>HTTP 500 with the style's server-error body.</summary>
    ServerError,

    /// <summary>HTTP 503 with the style's overloaded body.</summary>
    Overloaded,

    /// <summary>The style's invalid-key answer (401; Gemini answers 400 <c>API_KEY_INVALID</c> like the real service).</summary>
    Unauthorized,

    /// <summary>HTTP 400 <c>context_length_exceeded</c> (or the style's equivalent).</summary>
    ContextLengthExceeded,

    /// <summary>Unknown model: 404 (Mistral answers 400 <c>invalid_model</c> like the real service).</summary>
    ModelNotFound,

    /// <summary>Never sends the response headers; waits until the client aborts the request.</summary>
    HangBeforeHeaders,

    /// <summary>Starts a successful reply, then breaks it (see <see cref="MidStreamFailure"/>).</summary>
    FailMidStream,

    /// <summary>A complete stream (finish_reason and usage) that never sends <c>data: [DONE]</c>.</summary>
    StreamWithoutDone,

    /// <summary>Interleaves <c>: OPENROUTER PROCESSING</c> SSE comment lines between the events.</summary>
    KeepAliveComments,

    /// <summary>One unparsable <c>data:</c> line among good events.</summary>
    MalformedEvent,
}
