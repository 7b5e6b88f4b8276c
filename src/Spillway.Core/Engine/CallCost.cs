using Spillway.Core.Chat;
using Spillway.Core.Providers;

namespace Spillway.Core.Engine;

/// <summary>
/// The arithmetic of one call's cost: usage split into buckets, each at its price.
/// <code>
///   uncached input × input + cache reads × cached_input + cache writes × cache_write
///   + (output − reasoning) × output + reasoning × reasoning          (USD per million tokens)
/// </code>
/// <see cref="TokenUsage"/> already holds every provider's usage in these terms: OpenAI-style prompt tokens include
/// the cached ones and completion tokens the reasoning; Anthropic's input is summed with its cache reads and writes
/// by the decoder; Gemini's thoughts are added to its output.
/// </summary>
public static class CallCost
{
    /// <summary>The USD of <paramref name="usage"/> at <paramref name="price"/>; null when the price does not hold for a prompt that long.</summary>
    public static decimal? Of(ModelPrice price, TokenUsage usage)
    {
        ArgumentNullException.ThrowIfNull(price);
        if (price.MaxInputTokens is { } max && usage.InputTokens > max)
        {
            return null;
        }

        // Clamped so a provider's inconsistent figures never bill a bucket twice or go negative.
        var input = Math.Max(0, usage.InputTokens);
        var cached = Math.Clamp(usage.CachedInputTokens, 0, input);
        var written = Math.Clamp(usage.CacheWriteInputTokens, 0, input - cached);
        var uncached = input - cached - written;
        var output = Math.Max(0, usage.OutputTokens);
        var reasoning = Math.Clamp(usage.ReasoningTokens, 0, output);
        var micro = (uncached * price.Input)
            + (cached * (price.CachedInput ?? price.Input))
            + (written * (price.CacheWrite ?? price.Input))
            + ((output - reasoning) * price.Output)
            + (reasoning * (price.Reasoning ?? price.Output));
        return micro / 1_000_000m;
    }
}
