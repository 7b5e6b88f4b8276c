namespace Spillway.Core.Configuration;

/// <summary>A list price set in config, USD per million tokens.</summary>
public sealed record PriceOverride(string Route, decimal Input, decimal Output, decimal? CachedInput = null);
