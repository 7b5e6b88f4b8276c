namespace Spillway.Core.Providers.RateLimits;

/// <summary>
/// Reads a key's capacity from the rate-limit headers of any upstream answer, success or failure
/// (src/Spillway.Core/README.md, "The request path", step 5). The header names are shared between vendors but
/// their meaning is not, so the provider's <see cref="RateLimitScheme"/> decides how they are read
/// (wire-facts §1.5, §2.5, §4.1, §4.2, §5.2).
/// </summary>
/// <remarks>Runs on every answer: a few dictionary look-ups and number parses, no regex, no LINQ.</remarks>
public static class RateLimitHeaderReader
{
    /// <summary>The snapshot the headers state; <see cref="RateLimitSnapshot.Empty"/> when they state nothing.</summary>
    public static RateLimitSnapshot Read(RateLimitRules rules, UpstreamHeaders headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (headers.IsEmpty)
        {
            return RateLimitSnapshot.Empty;
        }

        var snapshot = rules.Scheme switch
        {
            // Same names; OpenAI counts requests per minute, Groq per day (RPD). Tokens are per minute for both.
            RateLimitScheme.OpenAI => ReadOpenAIStyle(headers, now, RateLimitWindow.Minute),
            RateLimitScheme.Groq => ReadOpenAIStyle(headers, now, RateLimitWindow.Day),
            RateLimitScheme.Mistral => ReadMistral(headers),
            RateLimitScheme.Anthropic => ReadAnthropic(headers),
            RateLimitScheme.OpenRouter => ReadOpenRouter(headers, now),
            _ => RateLimitSnapshot.Empty,
        };
        return snapshot.IsEmpty ? RateLimitSnapshot.Empty : snapshot;
    }

    private static RateLimitSnapshot ReadOpenAIStyle(UpstreamHeaders headers, DateTimeOffset now, RateLimitWindow requestWindow)
    {
        var requestLimit = RateLimitHeaderValues.Count(headers.Get("x-ratelimit-limit-requests"));
        var requestsRemaining = RateLimitHeaderValues.Count(headers.Get("x-ratelimit-remaining-requests"));
        var tokenLimit = RateLimitHeaderValues.Count(headers.Get("x-ratelimit-limit-tokens"));
        var tokensRemaining = RateLimitHeaderValues.Count(headers.Get("x-ratelimit-remaining-tokens"));
        var requestsReset = RateLimitHeaderValues.AfterDuration(headers.Get("x-ratelimit-reset-requests"), now);
        var tokensReset = RateLimitHeaderValues.AfterDuration(headers.Get("x-ratelimit-reset-tokens"), now);
        var hasRequests = requestLimit is not null || requestsRemaining is not null || requestsReset is not null;
        var hasTokens = tokenLimit is not null || tokensRemaining is not null || tokensReset is not null;
        return new RateLimitSnapshot
        {
            RequestLimit = requestLimit,
            RequestsRemaining = requestsRemaining,
            RequestsResetAt = requestsReset,
            RequestWindow = hasRequests ? requestWindow : RateLimitWindow.Unknown,
            TokenLimit = tokenLimit,
            TokensRemaining = tokensRemaining,
            TokensResetAt = tokensReset,
            TokenWindow = hasTokens ? RateLimitWindow.Minute : RateLimitWindow.Unknown,
        };
    }

    private static RateLimitSnapshot ReadMistral(UpstreamHeaders headers)
    {
        // Mistral states no reset times; the window is in the header name. Which names appear depends on the plan.
        var requestLimit = RateLimitHeaderValues.Count(headers.Get("x-ratelimit-limit-req-10-second"));
        var requestsRemaining = RateLimitHeaderValues.Count(headers.Get("x-ratelimit-remaining-req-10-second"));
        var tokenLimit = RateLimitHeaderValues.Count(headers.Get("x-ratelimit-limit-tokens-minute"));
        var tokensRemaining = RateLimitHeaderValues.Count(headers.Get("x-ratelimit-remaining-tokens-minute"));
        return new RateLimitSnapshot
        {
            RequestLimit = requestLimit,
            RequestsRemaining = requestsRemaining,
            RequestWindow = requestLimit is null && requestsRemaining is null ? RateLimitWindow.Unknown : RateLimitWindow.TenSeconds,
            TokenLimit = tokenLimit,
            TokensRemaining = tokensRemaining,
            TokenWindow = tokenLimit is null && tokensRemaining is null ? RateLimitWindow.Unknown : RateLimitWindow.Minute,
            MonthlyTokenLimit = RateLimitHeaderValues.Count(headers.Get("x-ratelimit-limit-tokens-month")),
            MonthlyTokensRemaining = RateLimitHeaderValues.Count(headers.Get("x-ratelimit-remaining-tokens-month")),
        };
    }

    private static RateLimitSnapshot ReadAnthropic(UpstreamHeaders headers)
    {
        var requestLimit = RateLimitHeaderValues.Count(headers.Get("anthropic-ratelimit-requests-limit"));
        var requestsRemaining = RateLimitHeaderValues.Count(headers.Get("anthropic-ratelimit-requests-remaining"));
        var requestsReset = RateLimitHeaderValues.Timestamp(headers.Get("anthropic-ratelimit-requests-reset"));

        // "tokens-*" is the most restrictive of the input and output limits; older accounts send only
        // "input-tokens-*", which is the one a prompt runs into first.
        var tokenLimit = RateLimitHeaderValues.Count(headers.Get("anthropic-ratelimit-tokens-limit"));
        var tokensRemaining = RateLimitHeaderValues.Count(headers.Get("anthropic-ratelimit-tokens-remaining"));
        var tokensReset = RateLimitHeaderValues.Timestamp(headers.Get("anthropic-ratelimit-tokens-reset"));
        if (tokenLimit is null && tokensRemaining is null)
        {
            tokenLimit = RateLimitHeaderValues.Count(headers.Get("anthropic-ratelimit-input-tokens-limit"));
            tokensRemaining = RateLimitHeaderValues.Count(headers.Get("anthropic-ratelimit-input-tokens-remaining"));
            tokensReset = RateLimitHeaderValues.Timestamp(headers.Get("anthropic-ratelimit-input-tokens-reset"));
        }

        var hasRequests = requestLimit is not null || requestsRemaining is not null || requestsReset is not null;
        var hasTokens = tokenLimit is not null || tokensRemaining is not null || tokensReset is not null;
        return new RateLimitSnapshot
        {
            RequestLimit = requestLimit,
            RequestsRemaining = requestsRemaining,
            RequestsResetAt = requestsReset,
            RequestWindow = hasRequests ? RateLimitWindow.Minute : RateLimitWindow.Unknown,
            TokenLimit = tokenLimit,
            TokensRemaining = tokensRemaining,
            TokensResetAt = tokensReset,
            TokenWindow = hasTokens ? RateLimitWindow.Minute : RateLimitWindow.Unknown,
        };
    }

    private static RateLimitSnapshot ReadOpenRouter(UpstreamHeaders headers, DateTimeOffset now) =>
        // Sent only with a 429, for whichever cap was hit (free models per minute or per day): the window is
        // known only from the error message, so the classifier decides it.
        new()
        {
            RequestLimit = RateLimitHeaderValues.Count(headers.Get("X-RateLimit-Limit")),
            RequestsRemaining = RateLimitHeaderValues.Count(headers.Get("X-RateLimit-Remaining")),
            RequestsResetAt = RateLimitHeaderValues.FlexibleReset(headers.Get("X-RateLimit-Reset"), now),
        };
}
