namespace Spillway.Core.Chat;

/// <summary>
/// Usage so far: running totals that replace any figures sent before, never increments to add to them.
/// </summary>
/// <param name="Usage">The totals.</param>
public sealed record UsageEvent(TokenUsage Usage) : ChatStreamEvent;
