using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Failures.Classification;

/// <summary>What a rate-limit error says it counted: requests or tokens, over which window.</summary>
internal readonly record struct LimitDimension(LimitKind Kind, RateLimitWindow Window)
{
    public static LimitDimension Unknown => default;

    /// <summary>A per-day (or longer) limit: waiting a minute will not help.</summary>
    public bool IsDaily => Window is RateLimitWindow.Day or RateLimitWindow.Month;

    /// <summary>The quota this dimension names; null when the kind or the window is not one of the four.</summary>
    public KeyState.QuotaMeasure? Measure => (Kind, Window) switch
    {
        (LimitKind.Requests, RateLimitWindow.Minute) => KeyState.QuotaMeasure.Rpm,
        (LimitKind.Requests, RateLimitWindow.Day) => KeyState.QuotaMeasure.Rpd,
        (LimitKind.Tokens, RateLimitWindow.Minute) => KeyState.QuotaMeasure.Tpm,
        (LimitKind.Tokens, RateLimitWindow.Day) => KeyState.QuotaMeasure.Tpd,
        _ => null,
    };

    /// <summary>"tokens per minute (TPM)" and the like, for the reason.</summary>
    public string Describe() => (Kind, Window) switch
    {
        (LimitKind.Tokens, RateLimitWindow.Minute) => "tokens per minute (TPM) limit",
        (LimitKind.Tokens, RateLimitWindow.Day) => "tokens per day (TPD) quota",
        (LimitKind.Requests, RateLimitWindow.Minute) => "requests per minute (RPM) limit",
        (LimitKind.Requests, RateLimitWindow.Day) => "requests per day (RPD) quota",
        (LimitKind.Tokens, _) => "token rate limit",
        (LimitKind.Requests, _) => "request rate limit",
        _ => "rate limited",
    };
}
