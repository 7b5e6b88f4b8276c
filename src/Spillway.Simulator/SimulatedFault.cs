namespace Spillway.Simulator;

/// <summary>
/// One scripted answer for the next chat-completions call of a <see cref="SimulatedProvider"/> (a test tool:
/// the simulator is never a real provider). Faults are queued with <see cref="SimulatedProvider.Enqueue"/>
/// and consumed one per call, before validation and quota logic, whatever key the call carries.
/// </summary>
/// <remarks>
/// Error faults and <see cref="SimulatedFaultKind.HangBeforeHeaders"/> replace the whole answer and do not
/// count against the free quota. The stream-shaping faults (<see cref="SimulatedFaultKind.FailMidStream"/>,
/// <see cref="SimulatedFaultKind.StreamWithoutDone"/>, <see cref="SimulatedFaultKind.KeepAliveComments"/>,
/// <see cref="SimulatedFaultKind.MalformedEvent"/>) shape an otherwise normal reply, which is validated and
/// counted like any other.
/// </remarks>
public sealed record SimulatedFault
{
    private SimulatedFault(SimulatedFaultKind kind)
    {
        Kind = kind;
    }

    /// <summary>What goes wrong.</summary>
    public SimulatedFaultKind Kind { get; }

    /// <summary>
    /// For <see cref="SimulatedFaultKind.RateLimited"/>: the wait announced to the client, as <c>Retry-After</c>
    /// (OpenAI, Groq, Mistral), <c>RetryInfo.retryDelay</c> (Gemini) or <c>X-RateLimit-Reset</c> (OpenRouter).
    /// </summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>For <see cref="SimulatedFaultKind.FailMidStream"/>: how many content events are sent before the failure.</summary>
    public int EventsBeforeFailure { get; private init; }

    /// <summary>For <see cref="SimulatedFaultKind.FailMidStream"/>: how the reply breaks.</summary>
    public MidStreamFailure MidStreamFailure { get; private init; }

    /// <summary>A per-minute 429 in the provider style's real shape.</summary>
    /// <param name="retryAfter">The announced wait; 20 s (the value in a recorded OpenAI 429) when omitted.</param>
    public static SimulatedFault RateLimited(TimeSpan? retryAfter = null)
    {
        if (retryAfter is { } wait && wait < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(retryAfter), wait, "The wait cannot be negative.");
        }

        return new SimulatedFault(SimulatedFaultKind.RateLimited) { RetryAfter = retryAfter };
    }

    /// <summary>OpenRouter style: a 429 from the model's upstream provider, not the account's free cap (others: <see cref="RateLimited"/>).</summary>
    public static SimulatedFault UpstreamRateLimited() => new(SimulatedFaultKind.UpstreamRateLimited);

    /// <summary>A per-day quota 429 (OpenAI: billing <c>insufficient_quota</c>).</summary>
    public static SimulatedFault QuotaExhausted() => new(SimulatedFaultKind.QuotaExhausted);

    /// <summary>For <see cref="SimulatedFaultKind.ServerError"/>: the error message in place of the vendor's usual one (OpenAI style).</summary>
    public string? Message { get; private init; }

    /// <summary>HTTP 500.</summary>
    /// <param name="message">A test's own error message (OpenAI style only; others keep their vendor's text), e.g. to
    /// prove a reason quoted from an upstream is shown as text.</param>
    public static SimulatedFault ServerError(string? message = null) => new(SimulatedFaultKind.ServerError) { Message = message };

    /// <summary>HTTP 503, the provider is overloaded.</summary>
    public static SimulatedFault Overloaded() => new(SimulatedFaultKind.Overloaded);

    /// <summary>The key is rejected as invalid.</summary>
    public static SimulatedFault Unauthorized() => new(SimulatedFaultKind.Unauthorized);

    /// <summary>The prompt is too long for the model.</summary>
    public static SimulatedFault ContextLengthExceeded() => new(SimulatedFaultKind.ContextLengthExceeded);

    /// <summary>The requested model does not exist.</summary>
    public static SimulatedFault ModelNotFound() => new(SimulatedFaultKind.ModelNotFound);

    /// <summary>No response headers ever; the call ends only when the client gives up (or the simulator stops).</summary>
    public static SimulatedFault HangBeforeHeaders() => new(SimulatedFaultKind.HangBeforeHeaders);

    /// <summary>
    /// Sends the role event and <paramref name="eventsBeforeFailure"/> content events (text pieces or tool-call
    /// argument pieces; all of them when there are fewer), then fails before the finish chunk. A non-streaming
    /// call gets half of its JSON body and an aborted connection.
    /// </summary>
    public static SimulatedFault FailMidStream(int eventsBeforeFailure, MidStreamFailure failure = MidStreamFailure.AbortConnection)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eventsBeforeFailure);
        return new SimulatedFault(SimulatedFaultKind.FailMidStream)
        {
            EventsBeforeFailure = eventsBeforeFailure,
            MidStreamFailure = failure,
        };
    }

    /// <summary>A complete stream without the final <c>data: [DONE]</c>. No effect on a non-streaming call.</summary>
    public static SimulatedFault StreamWithoutDone() => new(SimulatedFaultKind.StreamWithoutDone);

    /// <summary><c>: OPENROUTER PROCESSING</c> comments before and between events. No effect on a non-streaming call.</summary>
    public static SimulatedFault KeepAliveComments() => new(SimulatedFaultKind.KeepAliveComments);

    /// <summary>
    /// One truncated, unparsable <c>data:</c> line right after the role event; the stream then goes on normally.
    /// A non-streaming call gets a 200 whose JSON body is cut short.
    /// </summary>
    public static SimulatedFault MalformedEvent() => new(SimulatedFaultKind.MalformedEvent);

    internal bool ReplacesAnswer => Kind is not (SimulatedFaultKind.FailMidStream
        or SimulatedFaultKind.StreamWithoutDone
        or SimulatedFaultKind.KeepAliveComments
        or SimulatedFaultKind.MalformedEvent);
}
