namespace Spillway.Core.Chat;

/// <summary>
/// Usage of one answer: the gateway's <see cref="TokenUsage"/> plus the cache-write count, which Anthropic bills
/// apart and reports apart (<c>cache_creation_input_tokens</c>).
/// </summary>
/// <param name="Tokens">Input (cache reads and writes included), output (reasoning included), cached, reasoning.</param>
/// <param name="CacheWriteInputTokens">Input tokens written to the prompt cache; part of <see cref="TokenUsage.InputTokens"/>.</param>
public sealed record ChatUsage(TokenUsage Tokens, long CacheWriteInputTokens = 0)
{
    /// <summary>Input tokens neither read from nor written to the cache.</summary>
    public long UncachedInputTokens =>
        Math.Max(0, Tokens.InputTokens - Tokens.CachedInputTokens - CacheWriteInputTokens);

    /// <summary>The tokens with the cache-write count in them, as the engine prices a call.</summary>
    public TokenUsage Billable => CacheWriteInputTokens > 0 ? Tokens with { CacheWriteInputTokens = CacheWriteInputTokens } : Tokens;
}
