namespace Spillway.Core.KeyState;

/// <summary>Why and until when a key (or a key for one model) is not to be called.</summary>
/// <param name="Until">The moment it may be called again.</param>
/// <param name="Outcome">The failure class outcome that set it (e.g. <c>quota_exhausted</c>).</param>
/// <param name="Reason">A short human reason, safe to show.</param>
/// <param name="Model">The model it applies to; null when it applies to every model of the key.</param>
public sealed record KeyCooldown(DateTimeOffset Until, string Outcome, string Reason, string? Model);
