using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Failures.Classification;

/// <summary>
/// OpenRouter's errors (wire-facts §5.2, §5.3). Its own free-model caps are account-wide and are told apart only
/// by the message (<c>free-models-per-day</c>, <c>-per-day-high-balance</c>, <c>free-models-per-min</c>); other 429s
/// come from the upstream provider of the model.
/// </summary>
internal static class OpenRouterRules
{
    public static FailureClassification? Classify(ClassificationContext context) => context.Status switch
    {
        429 => RateLimit(context),

        // Credits: account balance at or below zero, or the key's own spend limit. Probe until it passes.
        402 => context.Result(FailureClass.QuotaExhausted, "insufficient credits (402)", scope: CooldownScope.Key),
        503 => context.Result(FailureClass.Overloaded, "no provider available (503)"),
        529 => context.Result(FailureClass.Overloaded, "provider overloaded (529)"),
        502 => context.Result(FailureClass.ServerError, "provider error (502)"),
        408 => context.Result(FailureClass.Timeout, "request timeout (408)"),
        524 => context.Result(FailureClass.Timeout, "edge timeout (524)"),
        _ => null,
    };

    private static FailureClassification RateLimit(ClassificationContext context)
    {
        var body = context.Body;

        // The cap's X-RateLimit-* come inside error.metadata.headers; on the platform's own 429 also as headers.
        var snapshot = ReadLimits(context);
        var learned = snapshot.RequestLimit;
        if (ErrorMessageHints.Contains(body.Message, "free-models-per-day"))
        {
            // The free-model day is the UTC day. A stated reset is trusted only when it is later: its format is
            // unverified, and reading it too early would burn the remaining requests of other free models.
            var midnight = DailyReset.Next(DailyResetRule.UtcMidnight, context.Now);
            var retryAt = snapshot.RequestsResetAt > midnight ? snapshot.RequestsResetAt.Value : midnight;
            return context.Result(FailureClass.QuotaExhausted, "free models per-day cap", retryAt, CooldownScope.Key,
                learnedLimit: learned, dimension: new LimitDimension(LimitKind.Requests, RateLimitWindow.Day));
        }

        var retry = context.StatedRetryAt() ?? FutureReset(snapshot, context.Now);
        if (ErrorMessageHints.Contains(body.Message, "free-models-per-min"))
        {
            return context.Result(FailureClass.RateLimited, "free models per-minute cap",
                retry ?? context.After(ClassificationContext.DefaultRateLimitWait), CooldownScope.Key, learnedLimit: learned,
                dimension: new LimitDimension(LimitKind.Requests, RateLimitWindow.Minute));
        }

        // provider_code: the model's upstream provider refused OpenRouter, so other models on this key still work.
        if (body.ProviderCode is not null)
        {
            return context.Result(FailureClass.RateLimited, "rate limited upstream (" + body.ProviderCode + ")",
                retry ?? context.After(ClassificationContext.DefaultRateLimitWait), CooldownScope.KeyModel,
                learnedLimit: learned);
        }

        return context.Result(FailureClass.RateLimited, "rate limited",
            retry ?? context.After(ClassificationContext.DefaultRateLimitWait), context.LimitScope, learnedLimit: learned);
    }

    private static RateLimitSnapshot ReadLimits(ClassificationContext context)
    {
        var openRouter = context.Rules.Scheme == RateLimitScheme.OpenRouter
            ? context.Rules
            : context.Rules with { Scheme = RateLimitScheme.OpenRouter };
        if (context.Body.MetadataHeaders is { Count: > 0 } metadataHeaders)
        {
            var fromBody = RateLimitHeaderReader.Read(openRouter, new UpstreamHeaders(metadataHeaders), context.Now);
            if (!fromBody.IsEmpty)
            {
                return fromBody;
            }
        }

        return RateLimitHeaderReader.Read(openRouter, context.Headers, context.Now);
    }

    private static DateTimeOffset? FutureReset(RateLimitSnapshot snapshot, DateTimeOffset now) =>
        snapshot.RequestsResetAt > now ? snapshot.RequestsResetAt : null;
}
