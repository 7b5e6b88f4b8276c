using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Failures.Classification;

/// <summary>
/// Mistral's 429s, in either shape (<c>{"message":"Requests rate limit exceeded"}</c> or the typed
/// <c>{"object":"error","type":"rate_limited","code":"1300"}</c>): a short-window limit, unless the headers show the
/// monthly token budget spent (wire-facts §4.2, §7).
/// </summary>
internal static class MistralRules
{
    private static readonly TimeSpan TenSeconds = TimeSpan.FromSeconds(10);

    public static FailureClassification? Classify(ClassificationContext context)
    {
        if (context.Status != 429)
        {
            return null;
        }

        var snapshot = RateLimitHeaderReader.Read(context.Rules, context.Headers, context.Now);
        if (snapshot.MonthlyTokensRemaining <= 0)
        {
            // Mistral states no reset for the month: probe, rather than guess the billing cycle.
            return context.Result(FailureClass.QuotaExhausted, "monthly token quota exhausted",
                scope: context.LimitScope, learnedLimit: snapshot.MonthlyTokenLimit);
        }

        // No reset headers: the spent window's own length is the honest wait.
        DateTimeOffset? retryAt = context.StatedRetryAt();
        if (retryAt is null && snapshot.TokensRemaining <= 0)
        {
            retryAt = context.After(ClassificationContext.DefaultRateLimitWait);
        }
        else if (retryAt is null && snapshot.RequestsRemaining <= 0 && snapshot.RequestWindow == RateLimitWindow.TenSeconds)
        {
            retryAt = context.After(TenSeconds);
        }

        var summary = ErrorMessageHints.Contains(context.Body.Message, "requests rate limit")
            ? "request rate limit"
            : "rate limited";
        return context.RateLimited(summary, retryAt);
    }
}
