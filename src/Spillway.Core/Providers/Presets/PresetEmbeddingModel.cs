namespace Spillway.Core.Providers.Presets;

/// <summary>An embedding model of the vendor, with the quota a default-tier key has for it where it is known.</summary>
/// <param name="Model">The model id as sent upstream (the part after <c>provider/</c> in a route).</param>
/// <param name="Limits">Known limits of a default-tier key (per key and model where the preset's quota is per model).</param>
/// <param name="Source">Where the model id and figures come from; "unverified" marks secondary sources.</param>
/// <param name="AsOf">When they were last seen to hold (<c>YYYY-MM</c> or <c>YYYY-MM-DD</c>).</param>
public sealed record PresetEmbeddingModel(string Model, KeyLimits Limits, string Source, string AsOf);
