namespace Spillway.Core.Chat;

/// <summary>
/// A failure in the gateway's own terms, the one error type carried to a client: an upstream's error body decoded,
/// a translation that cannot be done, or a refusal of the gateway itself (auth, limits, no route). Each client
/// format writes it in its own vocabulary from <see cref="Kind"/> (OpenAI's <c>type</c>, Anthropic's
/// <c>error.type</c>, Gemini's google.rpc status).
/// </summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Kind">The kind of failure.</param>
/// <param name="Message">A sentence safe to show to the client (never a key).</param>
public sealed record ChatError(int Status, ChatErrorKind Kind, string Message)
{
    /// <summary>The request field at fault (<c>messages[2].content[0]</c>), or null.</summary>
    public string? Param { get; init; }

    /// <summary>
    /// The gateway's machine-readable code for the client (<c>model_not_found</c>, <c>budget_exceeded</c>), where a
    /// format has a place for one (OpenAI's <c>code</c>); null for the kind's default.
    /// </summary>
    public string? Code { get; init; }

    /// <summary>
    /// For an upstream's error decoded: the provider's own error type or code as it answered
    /// (<c>rate_limit_exceeded</c>, <c>overloaded_error</c>, <c>RESOURCE_EXHAUSTED</c>), or null. Never shown to a
    /// client of another format.
    /// </summary>
    public string? UpstreamCode { get; init; }

    /// <summary>A 400 for a request that is malformed or cannot be translated.</summary>
    public static ChatError InvalidRequest(string message, string? param = null) =>
        new(400, ChatErrorKind.InvalidRequest, message) { Param = param };
}
