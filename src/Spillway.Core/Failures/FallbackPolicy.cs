namespace Spillway.Core.Failures;

/// <summary>The failure-class table of src/Spillway.Core/README.md as code: what each failure class means for the chain.</summary>
internal static class FallbackPolicy
{
    public static FallbackDecision Decide(FailureClassification failure, bool alreadyRetried) => failure.Class switch
    {
        FailureClass.ServerError or FailureClass.ConnectionFailed =>
            alreadyRetried || !failure.Retryable ? FallbackDecision.NextStep : FallbackDecision.RetrySameStepNow,
        FailureClass.CallerFault => failure.ContextLengthExceeded ? FallbackDecision.NextStep : FallbackDecision.Stop,
        FailureClass.ContentRefused => FallbackDecision.Stop,
        _ => FallbackDecision.NextStep,
    };

    /// <summary>How long the key (or key and model) stays cooled, or null for failures that say nothing about the key.</summary>
    public static DateTimeOffset? CooldownUntil(FailureClassification failure, DateTimeOffset now) => failure.Class switch
    {
        FailureClass.RateLimited => Later(failure.RetryAt, now + TimeSpan.FromSeconds(60), now),
        // Billing and credit exhaustion state no reset: probe again at most hourly.
        FailureClass.QuotaExhausted => Later(failure.RetryAt, now + TimeSpan.FromHours(1), now),
        // A rejected key stays off until the config changes (a restart or reload clears in-memory state).
        FailureClass.AuthFailed => now + TimeSpan.FromDays(365),
        FailureClass.ModelUnavailable => now + TimeSpan.FromMinutes(10),
        _ => null,
    };

    private static DateTimeOffset Later(DateTimeOffset? stated, DateTimeOffset fallback, DateTimeOffset now) =>
        stated is { } at && at > now ? at : fallback;
}
