using Spillway.Core.Providers;

namespace Spillway.Core.Configuration;

/// <summary>A list price set in config, USD per million tokens.</summary>
public sealed record PriceOverride(
    string Route,
    decimal Input,
    decimal Output,
    decimal? CachedInput = null,
    decimal? CacheWrite = null,
    decimal? Reasoning = null)
{
    public ModelPrice ToPrice() => new(Input, Output)
    {
        CachedInput = CachedInput,
        CacheWrite = CacheWrite,
        Reasoning = Reasoning,
        Source = "config pricing",
    };
}
