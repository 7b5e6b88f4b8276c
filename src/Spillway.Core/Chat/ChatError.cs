namespace Spillway.Core.Chat;

/// <summary>
/// A failure in the gateway's own terms: an upstream's error body decoded, a translation that cannot be done, or
/// an error to write in the client's format.
/// </summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Kind">The kind of failure.</param>
/// <param name="Message">A sentence safe to show to the client.</param>
public sealed record ChatError(int Status, ChatErrorKind Kind, string Message)
{
    /// <summary>The request field at fault (<c>messages[2].content[0]</c>), or null.</summary>
    public string? Param { get; init; }

    /// <summary>The provider's own error type or code (<c>rate_limit_exceeded</c>, <c>overloaded_error</c>), or null.</summary>
    public string? Code { get; init; }

    /// <summary>A 400 for a request that is malformed or cannot be translated.</summary>
    public static ChatError InvalidRequest(string message, string? param = null) =>
        new(400, ChatErrorKind.InvalidRequest, message) { Param = param };
}
