using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Routing.Classification;

/// <summary>What a rate-limit error says it counted: requests or tokens, over which window.</summary>
internal readonly record struct LimitDimension(LimitKind Kind, RateLimitWindow Window)
{
    public static LimitDimension Unknown => default;

    /// <summary>A per-day (or longer) limit: waiting a minute will not help.</summary>
    public bool IsDaily => Window is RateLimitWindow.Day or RateLimitWindow.Month;

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
