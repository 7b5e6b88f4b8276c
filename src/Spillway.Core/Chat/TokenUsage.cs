namespace Spillway.Core.Chat;

/// <summary>
/// Token usage of one call in the gateway's own terms: <see cref="InputTokens"/> includes cached input and cache
/// writes, <see cref="OutputTokens"/> includes reasoning (wire-facts §6 says how each provider maps here). The codecs
/// read and write it, the engine prices it and the ledger records it.
/// </summary>
/// <param name="InputTokens">All input: uncached, read from the cache and written to it.</param>
/// <param name="OutputTokens">All output, reasoning included.</param>
/// <param name="CachedInputTokens">Input read from the prompt cache; part of <paramref name="InputTokens"/>.</param>
/// <param name="ReasoningTokens">Reasoning (thinking) output; part of <paramref name="OutputTokens"/>.</param>
/// <param name="CacheWriteInputTokens">
/// Input written to the prompt cache; part of <paramref name="InputTokens"/>. Anthropic bills and reports it apart
/// (<c>cache_creation_input_tokens</c>).
/// </param>
/// <param name="ReportedCostUsd">What the provider says the call cost (OpenRouter's <c>usage.cost</c>); null when it does not say.</param>
public readonly record struct TokenUsage(
    long InputTokens,
    long OutputTokens,
    long CachedInputTokens = 0,
    long ReasoningTokens = 0,
    long CacheWriteInputTokens = 0,
    decimal? ReportedCostUsd = null)
{
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>The usage of two calls that made one answer together (a stream continued on another route).</summary>
    public static TokenUsage operator +(TokenUsage a, TokenUsage b) => new(
        a.InputTokens + b.InputTokens,
        a.OutputTokens + b.OutputTokens,
        a.CachedInputTokens + b.CachedInputTokens,
        a.ReasoningTokens + b.ReasoningTokens,
        a.CacheWriteInputTokens + b.CacheWriteInputTokens,
        a.ReportedCostUsd is null && b.ReportedCostUsd is null ? null : (a.ReportedCostUsd ?? 0) + (b.ReportedCostUsd ?? 0));

    /// <summary>The same as <c>a + b</c>.</summary>
    public static TokenUsage Add(TokenUsage a, TokenUsage b) => a + b;

    /// <summary>Input tokens neither read from nor written to the cache.</summary>
    public long UncachedInputTokens => Math.Max(0, InputTokens - CachedInputTokens - CacheWriteInputTokens);
}
