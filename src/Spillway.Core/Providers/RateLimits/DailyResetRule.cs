namespace Spillway.Core.Providers.RateLimits;

/// <summary>When a provider's per-day quota starts over, for the cases where it does not say so itself.</summary>
public enum DailyResetRule
{
    /// <summary>00:00 UTC (OpenRouter free models, and the default).</summary>
    UtcMidnight,

    /// <summary>00:00 in America/Los_Angeles, with daylight saving (Gemini).</summary>
    PacificMidnight,
}
