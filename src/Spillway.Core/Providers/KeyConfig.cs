using System.Collections.Immutable;

namespace Spillway.Core.Providers;

/// <summary>One of the user's provider keys. <see cref="Id"/> is what logs, the ledger and the admin API show.</summary>
public sealed record KeyConfig(string Id, Secret Value, KeyTier Tier, KeyLimits Limits)
{
    /// <summary>
    /// Known quota per model where the provider counts per key and model (free tiers of Groq, Gemini, Cerebras):
    /// for a model listed here these figures beat <see cref="Limits"/>. Filled from the preset for free-tier keys.
    /// </summary>
    public ImmutableDictionary<string, KeyLimits> ModelLimits { get; init; } = ImmutableDictionary<string, KeyLimits>.Empty;

    /// <summary>The key's own data-policy mark; null defers to the provider's (see <see cref="Routing.DataPolicy"/>).</summary>
    public bool? MayTrainOnPrompts { get; init; }
}
