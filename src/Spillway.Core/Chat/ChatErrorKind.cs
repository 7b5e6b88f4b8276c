namespace Spillway.Core.Chat;

/// <summary>What kind of failure a <see cref="ChatError"/> is; each format maps it to its own error type.</summary>
public enum ChatErrorKind
{
    /// <summary>The request is malformed or cannot be served as asked (400, also other 4xx: 405, 408, 415, 422).</summary>
    InvalidRequest,

    /// <summary>The credentials are missing or wrong (401).</summary>
    Authentication,

    /// <summary>Out of credit or quota, or over the client's budget (402; OpenAI <c>insufficient_quota</c>).</summary>
    Billing,

    /// <summary>The credentials may not do this (403).</summary>
    PermissionDenied,

    /// <summary>The model or resource does not exist (404).</summary>
    NotFound,

    /// <summary>The request body is too large (413).</summary>
    RequestTooLarge,

    /// <summary>Too many requests for now (429).</summary>
    RateLimited,

    /// <summary>The provider failed (500 and other 5xx).</summary>
    Server,

    /// <summary>The provider timed out (504).</summary>
    Timeout,

    /// <summary>The provider is overloaded (529, 503).</summary>
    Overloaded,

    /// <summary>The request was refused by a content policy (a 4xx, or a blocked prompt).</summary>
    ContentRefused,

    /// <summary>No upstream could serve the request, or the one serving it failed mid-answer (the gateway's 502).</summary>
    UpstreamFailed,
}
