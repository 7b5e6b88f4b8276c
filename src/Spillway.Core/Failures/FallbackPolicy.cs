namespace Spillway.Core.Failures;

/// <summary>The failure-class table of src/Spillway.Core/README.md as code: what each failure class means for the chain.</summary>
internal static class FallbackPolicy
{
    /// <param name="failure">How the call failed.</param>
    /// <param name="alreadyRetried">True when this was the step's second call.</param>
    /// <param name="mayHaveBilled">True when the call failed after a success status on a paid key (a 200 whose body
    /// broke): the provider may have billed it, so it is not made again on the same key; the next step is tried.</param>
    public static FallbackDecision Decide(FailureClassification failure, bool alreadyRetried, bool mayHaveBilled = false) => failure.Class switch
    {
        FailureClass.ServerError or FailureClass.ConnectionFailed =>
            alreadyRetried || mayHaveBilled || !failure.Retryable ? FallbackDecision.NextStep : FallbackDecision.RetrySameStepNow,
        FailureClass.CallerFault => failure.ContextLengthExceeded ? FallbackDecision.NextStep : FallbackDecision.Stop,
        FailureClass.ContentRefused or FailureClass.Shutdown => FallbackDecision.Stop,
        _ => FallbackDecision.NextStep,
    };

    /// <summary>How long the key (or key and model) stays cooled, or null for failures that say nothing about the key.</summary>
    /// <param name="failure">The failure.</param>
    /// <param name="now">The moment it was seen.</param>
    /// <param name="rejections">For <see cref="FailureClass.AuthFailed"/>: how many times in a row the key was rejected,
    /// this one included; the re-check backs off with it (<see cref="RecheckRejectedKeyAfter"/>).</param>
    public static DateTimeOffset? CooldownUntil(FailureClassification failure, DateTimeOffset now, int rejections = 1) => failure.Class switch
    {
        FailureClass.RateLimited => Later(failure.RetryAt, now + TimeSpan.FromSeconds(60), now),
        // Billing and credit exhaustion state no reset: probe again at most hourly.
        FailureClass.QuotaExhausted => Later(failure.RetryAt, now + TimeSpan.FromHours(1), now),
        FailureClass.AuthFailed => now + RecheckRejectedKeyAfter(rejections),
        FailureClass.ModelUnavailable => now + TimeSpan.FromMinutes(10),
        _ => null,
    };

    /// <summary>The first re-check of a rejected key (401/403): a few minutes, for a key fixed at the provider soon.</summary>
    public static readonly TimeSpan FirstRejectedKeyRecheck = TimeSpan.FromMinutes(5);

    /// <summary>The longest wait between re-checks of a key that keeps being rejected.</summary>
    public static readonly TimeSpan LongestRejectedKeyRecheck = TimeSpan.FromHours(6);

    /// <summary>
    /// When a rejected key is called again: 5 minutes after the first rejection, three times longer after each
    /// rejection in a row (15, 45 minutes, 2¼ hours), at most <see cref="LongestRejectedKeyRecheck"/>. A key fixed at
    /// the provider (billing, a re-enabled key) comes back on its own; one that stays wrong costs a call every few hours.
    /// </summary>
    /// <param name="rejections">How many times in a row the key was rejected, 1 for the first.</param>
    public static TimeSpan RecheckRejectedKeyAfter(int rejections)
    {
        var wait = FirstRejectedKeyRecheck;
        for (var i = 1; i < rejections && wait < LongestRejectedKeyRecheck; i++)
        {
            wait *= 3;
        }

        return wait < LongestRejectedKeyRecheck ? wait : LongestRejectedKeyRecheck;
    }

    private static DateTimeOffset Later(DateTimeOffset? stated, DateTimeOffset fallback, DateTimeOffset now) =>
        stated is { } at && at > now ? at : fallback;
}
