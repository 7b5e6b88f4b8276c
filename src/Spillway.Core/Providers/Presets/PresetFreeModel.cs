namespace Spillway.Core.Providers.Presets;

/// <summary>A model a free-tier key can use, with the quota known for it.</summary>
/// <param name="Model">The model id as sent upstream (the part after <c>provider/</c> in a route).</param>
/// <param name="Limits">Known limits; per key and model where the preset's quota is per model.</param>
/// <param name="Source">Where the figures come from; "unverified" marks secondary sources.</param>
/// <param name="AsOf">When the figures were last seen to hold (<c>YYYY-MM</c> or <c>YYYY-MM-DD</c>).</param>
public sealed record PresetFreeModel(string Model, KeyLimits Limits, string Source, string AsOf);
