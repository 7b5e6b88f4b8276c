namespace Spillway.Core.Providers;

/// <summary>
/// The list price of one model, USD per million tokens. A price left null falls back to a neighbour: cached input and
/// cache writes to <see cref="Input"/>, reasoning to <see cref="Output"/> (where most vendors bill them).
/// </summary>
/// <param name="Input">Uncached input.</param>
/// <param name="Output">Output, reasoning included unless <see cref="Reasoning"/> prices it apart.</param>
public sealed record ModelPrice(decimal Input, decimal Output)
{
    /// <summary>Input read from the prompt cache.</summary>
    public decimal? CachedInput { get; init; }

    /// <summary>Input written to the prompt cache (Anthropic's 5-minute cache writes).</summary>
    public decimal? CacheWrite { get; init; }

    /// <summary>Reasoning output, where a vendor prices it apart from the rest of the output.</summary>
    public decimal? Reasoning { get; init; }

    /// <summary>
    /// The prices hold up to this many input tokens; a call with more (long-context pricing) is left unpriced rather
    /// than billed at the short-context rate. Null: no such tier.
    /// </summary>
    public long? MaxInputTokens { get; init; }

    /// <summary>Where the figures come from (a pricing page and date, the catalog, the config).</summary>
    public string Source { get; init; } = string.Empty;
}
