namespace Spillway.Simulator;

/// <summary>
/// One completion call (chat completions, Anthropic messages, Gemini generateContent) as the simulator received it, for test
/// assertions. The API key is never stored: only whether one was present and its last four characters.
/// </summary>
/// <param name="Time">When the call arrived, by the simulator's <see cref="TimeProvider"/>.</param>
/// <param name="Path">The request path, e.g. <c>/groq/v1/chat/completions</c>.</param>
/// <param name="KeyLast4">The last four characters of the API key (Bearer, <c>x-api-key</c>, <c>x-goog-api-key</c> or <c>?key=</c>); null when none was sent.</param>
/// <param name="Model">The requested model (from the URL for Gemini, without <c>models/</c>); null when the body had none (or was not JSON).</param>
/// <param name="Stream">Whether the body asked for <c>stream:true</c>.</param>
/// <param name="Body">The raw request body.</param>
/// <param name="Fault">The scripted fault that answered this call, if any.</param>
public sealed record RecordedCall(
    DateTimeOffset Time,
    string Path,
    string? KeyLast4,
    string? Model,
    bool Stream,
    byte[] Body,
    SimulatedFaultKind? Fault)
{
    /// <summary>The W3C <c>traceparent</c> header the call carried, if any (trace context propagated by the caller).</summary>
    public string? TraceParent { get; init; }

    /// <summary>Whether the call carried an API key.</summary>
    public bool HasAuthorization => KeyLast4 is not null;
}
