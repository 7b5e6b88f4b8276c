using Spillway.Core.Failures.Vocabularies;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Failures.Classification;

/// <summary>
/// OpenAI's error envelope and 429s, which Groq and most OpenAI-compatible hosts copy (wire-facts §1.4, §4.1, §7):
/// <c>insufficient_quota</c> is billing, a per-day dimension is a quota, anything else is a short-window limit.
/// </summary>
internal static class OpenAIFamilyRules
{
    /// <summary>The HTTP status an OpenAI error code stands for when the error came inside a 200 stream.</summary>
    public static int? StatusOf(string? code) => code switch
    {
        OpenAIErrorCodes.RateLimitExceeded or OpenAIErrorCodes.InsufficientQuota => 429,
        OpenAIErrorCodes.ContextLengthExceeded or OpenAIErrorCodes.InvalidRequestError => 400,
        OpenAIErrorCodes.ServerError => 500,
        _ => null,
    };

    public static FailureClassification? Classify(ClassificationContext context)
    {
        var body = context.Body;

        // Billing, not a rate: the key stays dead until someone pays, whatever the wait headers say.
        if (context.HasCode(OpenAIErrorCodes.InsufficientQuota))
        {
            return context.Result(FailureClass.QuotaExhausted, "insufficient quota (billing)", scope: CooldownScope.Key);
        }

        // Groq: one request above the per-minute token limit is a 413 with the rate-limit code. Waiting cannot
        // help; a step with more headroom (another provider, a bigger tier) may serve it as it is.
        if (context.Status == 413 && context.HasCode(OpenAIErrorCodes.RateLimitExceeded))
        {
            return context.Result(FailureClass.CallerFault, "request larger than the tokens-per-minute limit",
                contextLengthExceeded: true, learnedLimit: ErrorMessageHints.ReadLimit(body.Message));
        }

        if (context.Status != 429)
        {
            return null;
        }

        var dimension = ErrorMessageHints.Dimension(body.Message, body.Type);
        var limit = ErrorMessageHints.ReadLimit(body.Message);
        var snapshot = RateLimitHeaderReader.Read(context.Rules, context.Headers, context.Now);
        if (dimension.IsDaily)
        {
            return context.Result(FailureClass.QuotaExhausted, dimension.Describe(),
                DailyRetryAt(context, dimension, snapshot), context.LimitScope, learnedLimit: limit, dimension: dimension);
        }

        // Groq counts requests per day: with no dimension in the message, an empty request budget means RPD.
        if (dimension.Window == RateLimitWindow.Unknown
            && snapshot.RequestWindow == RateLimitWindow.Day && snapshot.RequestsRemaining <= 0)
        {
            var rpd = new LimitDimension(LimitKind.Requests, RateLimitWindow.Day);
            return context.Result(FailureClass.QuotaExhausted, rpd.Describe(),
                DailyRetryAt(context, rpd, snapshot), context.LimitScope, learnedLimit: limit ?? snapshot.RequestLimit, dimension: rpd);
        }

        return context.RateLimited(dimension.Describe(), context.StatedRetryAt() ?? WindowReset(dimension, snapshot), limit, dimension);
    }

    private static DateTimeOffset DailyRetryAt(ClassificationContext context, LimitDimension dimension, RateLimitSnapshot snapshot)
    {
        // The message's "Please try again in 9m38.016s" is the provider's own answer for the limit that was hit.
        if (context.StatedRetryAt() is { } stated)
        {
            return stated;
        }

        if (dimension.Kind == LimitKind.Requests && snapshot.RequestWindow == RateLimitWindow.Day
            && snapshot.RequestsResetAt is { } requestsReset)
        {
            return requestsReset;
        }

        return DailyReset.Next(context.Rules.DailyReset, context.Now);
    }

    private static DateTimeOffset? WindowReset(LimitDimension dimension, RateLimitSnapshot snapshot) => dimension.Kind switch
    {
        LimitKind.Tokens when snapshot.TokenWindow == RateLimitWindow.Minute => snapshot.TokensResetAt,
        LimitKind.Requests when snapshot.RequestWindow == RateLimitWindow.Minute => snapshot.RequestsResetAt,
        LimitKind.Unknown => LatestSpentReset(snapshot),
        _ => null,
    };

    // With no dimension stated, wait for every per-minute budget that is spent.
    private static DateTimeOffset? LatestSpentReset(RateLimitSnapshot snapshot)
    {
        DateTimeOffset? latest = null;
        if (snapshot.TokensRemaining <= 0 && snapshot.TokenWindow == RateLimitWindow.Minute)
        {
            latest = snapshot.TokensResetAt;
        }

        if (snapshot.RequestsRemaining <= 0 && snapshot.RequestWindow == RateLimitWindow.Minute
            && snapshot.RequestsResetAt > (latest ?? DateTimeOffset.MinValue))
        {
            latest = snapshot.RequestsResetAt;
        }

        return latest;
    }
}
