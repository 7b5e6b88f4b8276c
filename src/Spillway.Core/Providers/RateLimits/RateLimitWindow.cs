namespace Spillway.Core.Providers.RateLimits;

/// <summary>The window a rate-limit figure counts over.</summary>
public enum RateLimitWindow
{
    /// <summary>Not stated by the header family (OpenRouter's <c>X-RateLimit-*</c> serve both per-minute and per-day caps).</summary>
    Unknown,

    /// <summary>Ten seconds (Mistral's <c>x-ratelimit-*-req-10-second</c>).</summary>
    TenSeconds,

    /// <summary>One minute (OpenAI requests and tokens, Groq tokens, Anthropic, Mistral tokens).</summary>
    Minute,

    /// <summary>One day (Groq requests).</summary>
    Day,

    /// <summary>One month (Mistral tokens).</summary>
    Month,
}
