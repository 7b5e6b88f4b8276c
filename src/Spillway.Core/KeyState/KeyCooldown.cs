namespace Spillway.Core.KeyState;

/// <summary>Why and until when a key (or a key for one model) is not to be called.</summary>
/// <param name="Until">The moment it may be called again.</param>
/// <param name="Outcome">The failure class outcome that set it (e.g. <c>quota_exhausted</c>).</param>
/// <param name="Reason">A short human reason, safe to show.</param>
/// <param name="Model">The model it applies to; null when it applies to every model of the key.</param>
public sealed record KeyCooldown(DateTimeOffset Until, string Outcome, string Reason, string? Model)
{
    /// <summary>The outcome of a key the provider rejected (401/403): held off until its next re-check, not cooling
    /// for a limit.</summary>
    public const string RejectedOutcome = "key_rejected";

    private string? _skipDetail;

    /// <summary>The provider rejected the key: a wrong, revoked or unpaid secret, not a spent quota.</summary>
    public bool IsRejection => Outcome == RejectedOutcome;

    /// <summary>
    /// The ledger detail of a step skipped for this cooldown, built once: every request that meets a cooling key
    /// records it, so a busy chain would otherwise format the same text on every request.
    /// </summary>
    public string SkipDetail => _skipDetail ??= $"{Outcome} until {Until:O}: {Reason}";

    // Equality is the four facts; the cached text is not one of them.
    public bool Equals(KeyCooldown? other) =>
        other is not null && Until == other.Until && Outcome == other.Outcome && Reason == other.Reason && Model == other.Model;

    public override int GetHashCode() => HashCode.Combine(Until, Outcome, Reason, Model);
}
