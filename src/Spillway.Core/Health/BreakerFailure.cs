namespace Spillway.Core.Health;

/// <summary>The last failure a breaker counted.</summary>
/// <param name="At">When it was recorded.</param>
/// <param name="Outcome">Its failure class as an outcome string (<c>server_error</c>, <c>timeout</c>, ...).</param>
/// <param name="Reason">The classification's reason, safe to show.</param>
public sealed record BreakerFailure(DateTimeOffset At, string Outcome, string Reason);
