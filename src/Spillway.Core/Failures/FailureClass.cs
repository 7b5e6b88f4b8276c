namespace Spillway.Core.Failures;

/// <summary>
/// The failure classes (src/Spillway.Core/README.md, "Failure classes"). Every upstream answer that is not a success maps to exactly one;
/// the class alone decides what the fallback engine does next.
/// </summary>
public enum FailureClass
{
    /// <summary>A short-window limit (per minute): cool the key until the stated reset, move on.</summary>
    RateLimited,

    /// <summary>A per-day / per-month / credit quota is spent: cool the key until the real reset, move on.</summary>
    QuotaExhausted,

    /// <summary>The provider as a whole is overloaded (529, 503, UNAVAILABLE): route health, move on.</summary>
    Overloaded,

    /// <summary>500 / 502 / 504: once more at once, then move on.</summary>
    ServerError,

    /// <summary>Refused or reset before any byte: once more at once, then move on.</summary>
    ConnectionFailed,

    /// <summary>No headers or first event in time, or an idle stream: never retried, move on.</summary>
    Timeout,

    /// <summary>The request itself is wrong (400, 422). Not retried; context-length errors may move on.</summary>
    CallerFault,

    /// <summary>Refused by a content policy or safety filter. Not retried, not moved on by default.</summary>
    ContentRefused,

    /// <summary>401 / 403: the key is disabled until the config changes, move on.</summary>
    AuthFailed,

    /// <summary>404 model not found: the route is unavailable for a while, move on.</summary>
    ModelUnavailable,

    /// <summary>
    /// Not the upstream's doing: the gateway is stopping and its drain grace ran out while the call was under way.
    /// Nothing about the key or route is learned, and nothing more is tried: the client is told to go elsewhere.
    /// </summary>
    Shutdown,
}
