namespace Spillway.Core.Chat;

/// <summary>
/// Token usage of one call in the gateway's own terms: <see cref="InputTokens"/> includes cached input,
/// <see cref="OutputTokens"/> includes reasoning (wire-facts §6 says how each provider maps here).
/// </summary>
public readonly record struct TokenUsage(
    long InputTokens,
    long OutputTokens,
    long CachedInputTokens = 0,
    long ReasoningTokens = 0)
{
    public long TotalTokens => InputTokens + OutputTokens;
}
