namespace Spillway.Core.Providers.Presets;

/// <summary>A cheap paid model for the end of a chain, with its list price where the preset pins one.</summary>
/// <param name="Model">The model id as sent upstream.</param>
/// <param name="Input">USD per million input tokens; null when the preset does not pin a price.</param>
/// <param name="Output">USD per million output tokens; null when the preset does not pin a price.</param>
/// <param name="CachedInput">USD per million cached input tokens, where the vendor discounts them.</param>
/// <param name="Source">Where the model id and price come from.</param>
/// <param name="AsOf">When they were last seen to hold.</param>
public sealed record PresetPaidModel(string Model, decimal? Input, decimal? Output, decimal? CachedInput, string Source, string AsOf);
