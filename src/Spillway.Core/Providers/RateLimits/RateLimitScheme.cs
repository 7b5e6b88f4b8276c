namespace Spillway.Core.Providers.RateLimits;

/// <summary>
/// Which family of rate-limit signals a provider sends. The header names are shared by several vendors,
/// but their meaning is not (Groq's <c>x-ratelimit-limit-requests</c> counts per day, OpenAI's per minute).
/// </summary>
public enum RateLimitScheme
{
    /// <summary>No rate-limit headers are known; only status, <c>Retry-After</c> and the error body count.</summary>
    None,

    /// <summary>OpenAI: <c>x-ratelimit-{limit,remaining,reset}-{requests,tokens}</c>, requests per minute.</summary>
    OpenAI,

    /// <summary>Groq: the OpenAI header names, but requests are per day (RPD) and tokens per minute (TPM).</summary>
    Groq,

    /// <summary>Mistral: <c>x-ratelimit-*-tokens-minute</c>, <c>-tokens-month</c>, <c>-req-10-second</c>.</summary>
    Mistral,

    /// <summary>OpenRouter: <c>X-RateLimit-*</c> only on errors, also inside <c>error.metadata.headers</c>.</summary>
    OpenRouter,

    /// <summary>Anthropic: <c>anthropic-ratelimit-*</c> with RFC 3339 resets.</summary>
    Anthropic,

    /// <summary>Google Gemini: no headers; <c>QuotaFailure</c> and <c>RetryInfo</c> details in the error body.</summary>
    Gemini,
}
