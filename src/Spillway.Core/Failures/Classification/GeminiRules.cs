using Spillway.Core.Failures.Vocabularies;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Failures.Classification;

/// <summary>
/// Gemini's google.rpc.Status errors, in either envelope (wire-facts §3.5, §3.6). The daily/transient split follows
/// Google's own gemini-cli (<c>googleQuotaErrors.ts</c>): a per-day quota violation is terminal until the Pacific
/// midnight reset even though a <c>retryDelay</c> comes with it.
/// </summary>
internal static class GeminiRules
{
    /// <summary>A 429 with no details at all is capacity on Google's side, not the key's quota: it clears fast.</summary>
    public static readonly TimeSpan TransientBackoff = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PerMinuteWait = TimeSpan.FromSeconds(60);

    /// <summary>The HTTP status a google.rpc canonical code stands for; null for unknown codes.</summary>
    public static int? StatusOf(string? canonical) => canonical switch
    {
        GeminiErrorStatuses.InvalidArgument or GeminiErrorStatuses.FailedPrecondition
            or GeminiErrorStatuses.OutOfRange => 400,
        GeminiErrorStatuses.Unauthenticated => 401,
        GeminiErrorStatuses.PermissionDenied => 403,
        GeminiErrorStatuses.NotFound => 404,
        GeminiErrorStatuses.ResourceExhausted => 429,
        GeminiErrorStatuses.Internal or GeminiErrorStatuses.Unknown or GeminiErrorStatuses.DataLoss => 500,
        GeminiErrorStatuses.Unavailable => 503,
        GeminiErrorStatuses.DeadlineExceeded => 504,
        _ => null,
    };

    public static FailureClassification? Classify(ClassificationContext context)
    {
        var status = context.Status;
        if (status == 429 || context.Body.Status == GeminiErrorStatuses.ResourceExhausted)
        {
            return ResourceExhausted(context);
        }

        if (status == 503 || context.Body.Status == GeminiErrorStatuses.Unavailable)
        {
            return context.Result(FailureClass.Overloaded, "model overloaded (UNAVAILABLE)");
        }

        // "User location is not supported for the API use." / "free tier is not available in your country": the
        // key cannot serve anything from here, which is a fact about the key, not about the request.
        if (context.Body.Status == GeminiErrorStatuses.FailedPrecondition
            && ErrorMessageHints.ContainsAny(context.Body.Message, ["location is not supported", "not available in your country"]))
        {
            return context.Result(FailureClass.AuthFailed, "key not usable from this location", scope: CooldownScope.Key);
        }

        return null;
    }

    private static FailureClassification ResourceExhausted(ClassificationContext context)
    {
        var body = context.Body;
        var learned = FirstQuotaValue(body) ?? ErrorMessageHints.ReadLimit(body.Message);
        var daily = FindDaily(body);
        if (daily is not null)
        {
            // The retryDelay that comes with it is about the per-minute buckets, not the day (python-genai#2044).
            return context.Result(FailureClass.QuotaExhausted, "daily quota exhausted (" + daily + ")",
                DailyReset.Next(DailyResetRule.PacificMidnight, context.Now), context.LimitScope,
                learnedLimit: QuotaValueOf(body, daily) ?? learned, dimension: DimensionOf(daily, RateLimitWindow.Day, body));
        }

        // "limit: 0": the project has no quota for this model at all. Nothing comes back before the daily reset,
        // and a probe then is cheap.
        if (ErrorMessageHints.HasZeroLimit(body.Message))
        {
            return context.Result(FailureClass.QuotaExhausted, "no quota for this model (limit: 0)",
                DailyReset.Next(DailyResetRule.PacificMidnight, context.Now), context.LimitScope, learnedLimit: 0);
        }

        var minuteQuota = FindPerMinute(body);
        learned = QuotaValueOf(body, minuteQuota) ?? learned;
        var minute = DimensionOf(minuteQuota, RateLimitWindow.Minute, body);
        var summary = minuteQuota is null ? "rate limited (RESOURCE_EXHAUSTED)" : "per-minute quota (" + minuteQuota + ")";
        if (GoDuration.TryParse(body.RetryDelay, out var delay) && delay >= TimeSpan.Zero)
        {
            return context.RateLimited(summary, context.After(delay), learned, minute);
        }

        // gemini-cli tries the PerMinute guess of 60 s before the message; a wait the upstream states is better
        // than a guess (src/Spillway.Core/README.md, "When a tapped-out key comes back"), so "Please retry in
        // 47.43s" goes first.
        if (context.StatedRetryAt() is { } stated)
        {
            return context.RateLimited(summary, stated, learned, minute);
        }

        if (minuteQuota is not null)
        {
            return context.RateLimited(summary, context.After(PerMinuteWait), learned, minute);
        }

        return context.RateLimited(summary, context.After(TransientBackoff), learned);
    }

    /// <summary>What a quota id counts: <c>GenerateRequestsPerDayPerProjectPerModel-FreeTier</c> counts requests,
    /// <c>GenerateContentInputTokensPerModelPerMinute-FreeTier</c> tokens. Unknown unless the violation states its
    /// own value, so a limit of one quota is never taken for another's.</summary>
    private static LimitDimension DimensionOf(string? quotaId, RateLimitWindow window, UpstreamErrorBody body)
    {
        if (quotaId is null || QuotaValueOf(body, quotaId) is null)
        {
            return LimitDimension.Unknown;
        }

        var kind = quotaId.Contains("Token", StringComparison.OrdinalIgnoreCase) ? LimitKind.Tokens
            : quotaId.Contains("Request", StringComparison.OrdinalIgnoreCase) ? LimitKind.Requests
            : LimitKind.Unknown;
        return new LimitDimension(kind, window);
    }

    private static string? FindDaily(UpstreamErrorBody body)
    {
        foreach (var violation in body.Violations)
        {
            if (violation.QuotaId.Contains("PerDay", StringComparison.OrdinalIgnoreCase)
                || violation.QuotaId.Contains("Daily", StringComparison.OrdinalIgnoreCase))
            {
                return violation.QuotaId;
            }
        }

        return null;
    }

    private static string? FindPerMinute(UpstreamErrorBody body)
    {
        foreach (var violation in body.Violations)
        {
            if (violation.QuotaId.Contains("PerMinute", StringComparison.OrdinalIgnoreCase))
            {
                return violation.QuotaId;
            }
        }

        return null;
    }

    private static long? QuotaValueOf(UpstreamErrorBody body, string? quotaId)
    {
        foreach (var violation in body.Violations)
        {
            if (violation.QuotaId == quotaId)
            {
                return violation.QuotaValue;
            }
        }

        return null;
    }

    private static long? FirstQuotaValue(UpstreamErrorBody body)
    {
        foreach (var violation in body.Violations)
        {
            if (violation.QuotaValue is { } value)
            {
                return value;
            }
        }

        return null;
    }
}
