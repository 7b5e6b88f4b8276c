using Spillway.Core.Failures;

namespace Spillway.Core.Ledger;

/// <summary>The <c>outcome</c> strings of an attempt in the ledger and the admin API (README.md).</summary>
public static class Outcomes
{
    public const string Ok = "ok";
    public const string SkippedCooldown = "skipped_cooldown";

    /// <summary>The key state of a key its provider rejected (401/403), shown in the admin API and skip details.</summary>
    public const string KeyRejected = KeyState.KeyCooldown.RejectedOutcome;

    /// <summary>A step skipped because its provider rejected its key and the next re-check is not due yet.</summary>
    public const string SkippedKeyRejected = "skipped_key_rejected";
    public const string SkippedQuota = "skipped_quota";
    public const string SkippedBreaker = "skipped_breaker";
    public const string SkippedBudget = "skipped_budget";
    public const string SkippedPolicy = "skipped_policy";
    public const string SkippedCapability = "skipped_capability";

    /// <summary>A call asked to regenerate a broken stream's answer gave one that does not begin with the text the
    /// client already had, so none of it was sent.</summary>
    public const string ContinuationMismatch = "continuation_mismatch";

    /// <summary>The gateway stopped while the call was under way and its drain grace ran out.</summary>
    public const string Shutdown = "shutdown";

    /// <summary>True for an attempt that made no upstream call (<c>skipped_*</c>).</summary>
    public static bool IsSkip(string outcome) => outcome.StartsWith("skipped_", StringComparison.Ordinal);

    public static string Of(FailureClass failure) => failure switch
    {
        FailureClass.RateLimited => "rate_limited",
        FailureClass.QuotaExhausted => "quota_exhausted",
        FailureClass.Overloaded => "overloaded",
        FailureClass.ServerError => "server_error",
        FailureClass.ConnectionFailed => "connection_failed",
        FailureClass.Timeout => "timeout",
        FailureClass.CallerFault => "caller_fault",
        FailureClass.ContentRefused => "content_refused",
        FailureClass.AuthFailed => "auth_failed",
        FailureClass.ModelUnavailable => "model_unavailable",
        FailureClass.Shutdown => Shutdown,
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };
}
