namespace Spillway.Core.Providers.RateLimits;

/// <summary>How to read a provider's rate-limit and quota signals. Data from the provider's preset.</summary>
/// <param name="Scheme">The family of headers and error bodies it sends.</param>
/// <param name="DailyReset">When its per-day quotas start over when it does not say.</param>
/// <param name="QuotaPerModel">True when its quotas count per key and model (Groq, Gemini), so a limit on one
/// model does not cool the key's other models.</param>
public sealed record RateLimitRules(
    RateLimitScheme Scheme = RateLimitScheme.None,
    DailyResetRule DailyReset = DailyResetRule.UtcMidnight,
    bool QuotaPerModel = false)
{
    public static RateLimitRules Default { get; } = new();
}
