using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Spillway.Core.Providers.Presets;

/// <summary>The built-in provider presets, read once from the <c>presets.yaml</c> embedded in this assembly.</summary>
public static class ProviderPresets
{
    internal const string ResourceName = "Spillway.Core.Providers.Presets.presets.yaml";

    private static readonly Lazy<ImmutableArray<ProviderPreset>> Loaded = new(Load);

    /// <summary>Every preset, in file order (the order zero-config chains free tiers in).</summary>
    public static ImmutableArray<ProviderPreset> All => Loaded.Value;

    /// <summary>The preset ids, in file order.</summary>
    public static IEnumerable<string> Ids => All.Select(p => p.Id);

    public static ProviderPreset? Find(string id)
    {
        foreach (var preset in All)
        {
            if (string.Equals(preset.Id, id, StringComparison.Ordinal))
            {
                return preset;
            }
        }

        return null;
    }

    public static bool TryGet(string id, [NotNullWhen(true)] out ProviderPreset? preset)
    {
        preset = Find(id);
        return preset is not null;
    }

    private static ImmutableArray<ProviderPreset> Load()
    {
        using var stream = typeof(ProviderPresets).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from Spillway.Core.");
        using var reader = new StreamReader(stream);
        return PresetFileReader.Parse(reader.ReadToEnd(), "presets.yaml");
    }
}
