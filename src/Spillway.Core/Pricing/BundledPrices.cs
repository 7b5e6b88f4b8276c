using System.Collections.Frozen;
using Spillway.Core.Providers;

namespace Spillway.Core.Pricing;

/// <summary>The list prices shipped with Spillway: <c>prices.yaml</c>, embedded in this assembly, read once.</summary>
public static class BundledPrices
{
    internal const string ResourceName = "Spillway.Core.Pricing.prices.yaml";

    private static readonly Lazy<FrozenDictionary<string, ModelPrice>> Loaded = new(Load);

    /// <summary>Every row by <c>&lt;preset id&gt;/&lt;model&gt;</c>.</summary>
    public static FrozenDictionary<string, ModelPrice> All => Loaded.Value;

    /// <summary>The price of <paramref name="model"/> under the preset <paramref name="presetId"/>, or null.</summary>
    public static ModelPrice? Find(string presetId, string model) => All.GetValueOrDefault(presetId + "/" + model);

    private static FrozenDictionary<string, ModelPrice> Load()
    {
        using var stream = typeof(BundledPrices).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from Spillway.Core.");
        using var reader = new StreamReader(stream);
        return PriceFileReader.Parse(reader.ReadToEnd(), "prices.yaml");
    }
}
