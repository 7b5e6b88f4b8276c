using System.Collections.Immutable;
using Spillway.Core.Chat;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Providers.Presets;

/// <summary>
/// What Spillway knows about one vendor, as data (from the embedded <c>presets.yaml</c>): where it lives, how it
/// takes the key, how it signals limits, what it does not accept, and what its free tier gives.
/// A provider in config names a preset and overrides what it must.
/// </summary>
public sealed record ProviderPreset
{
    /// <summary>The preset's name in config (<c>preset: groq</c>) and the provider id zero-config gives it.</summary>
    public required string Id { get; init; }

    /// <summary>A human name for listings.</summary>
    public required string Name { get; init; }

    public required WireFormat Format { get; init; }

    /// <summary>The part before the format's own paths (openai: before <c>/chat/completions</c>), no trailing slash.</summary>
    public required Uri BaseUrl { get; init; }

    public required AuthStyle Auth { get; init; }

    /// <summary>The environment variable zero-config reads the key from (<c>GROQ_API_KEY</c>).</summary>
    public required string KeyEnvironmentVariable { get; init; }

    /// <summary>The tier a key of this vendor has unless config says otherwise.</summary>
    public required KeyTier DefaultTier { get; init; }

    /// <summary>Which calls the vendor's terms let it train on (Gemini's free tier, OpenRouter's free models).</summary>
    public PromptTraining Training { get; init; }

    /// <summary>True when error bodies arrive as a JSON array of envelopes (Gemini's OpenAI-compatible endpoint).</summary>
    public bool ErrorsAsArray { get; init; }

    public RateLimitRules RateLimits { get; init; } = RateLimitRules.Default;

    public ParameterQuirks Quirks { get; init; } = ParameterQuirks.None;

    /// <summary>Whether the vendor's endpoint of <see cref="Format"/> continues an assistant prefill; null: the format's default.</summary>
    public AssistantPrefill? Prefill { get; init; }

    /// <summary>Route model names that the provider knows by another id (OpenRouter: <c>free</c> is <c>openrouter/free</c>).</summary>
    public ImmutableDictionary<string, string> UpstreamModels { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The most output tokens each model can produce, from the vendor's model documentation.</summary>
    public ImmutableDictionary<string, int> MaxOutputTokens { get; init; } = ImmutableDictionary<string, int>.Empty;

    /// <summary>Non-secret headers sent with every request (OpenRouter attribution).</summary>
    public ImmutableDictionary<string, string> Headers { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>What each model can take (tools, images, JSON mode, context), from the vendor's model documentation.</summary>
    public ImmutableDictionary<string, ModelCapabilities> Capabilities { get; init; } = ImmutableDictionary<string, ModelCapabilities>.Empty;

    /// <summary>
    /// Limits that hold for a default-tier key as a whole (OpenRouter's account-wide free caps); unknown where the
    /// vendor counts per key and model, whose figures are in <see cref="FreeModels"/>.
    /// </summary>
    public KeyLimits KeyLimits { get; init; } = KeyLimits.Unknown;

    /// <summary>Models known to be routable here, listed by <c>/v1/models</c>.</summary>
    public ImmutableArray<string> Models { get; init; } = [];

    /// <summary>Free-tier models in the order zero-config's <c>free-first</c> alias tries them, each with its limits.</summary>
    public ImmutableArray<PresetFreeModel> FreeModels { get; init; } = [];

    /// <summary>Cheap paid models that end <c>free-first</c> once every free tier is spent.</summary>
    public ImmutableArray<PresetPaidModel> CheapModels { get; init; } = [];

    /// <summary>The vendor's embedding models (<c>POST /v1/embeddings</c>), in the order zero-config's
    /// <c>free-embeddings</c> alias prefers them.</summary>
    public ImmutableArray<PresetEmbeddingModel> EmbeddingModels { get; init; } = [];

    /// <summary>The same vendor reached in another wire format (Gemini's native API), for <c>format:</c> overrides.</summary>
    public ImmutableArray<PresetEndpoint> OtherEndpoints { get; init; } = [];

    /// <summary>The endpoint that speaks <paramref name="format"/>, or null when the vendor has none known.</summary>
    public PresetEndpoint? EndpointFor(WireFormat format)
    {
        if (format == Format)
        {
            return new PresetEndpoint(Format, BaseUrl, Auth);
        }

        foreach (var endpoint in OtherEndpoints)
        {
            if (endpoint.Format == format)
            {
                return endpoint;
            }
        }

        return null;
    }

    /// <summary>A provider built from this preset alone, with the given id and keys.</summary>
    public ProviderConfig ToProviderConfig(string id, ImmutableArray<KeyConfig> keys) => new()
    {
        Id = id,
        Format = Format,
        Preset = Id,
        BaseUrl = BaseUrl,
        Auth = Auth,
        PresetTraining = Training,
        Keys = keys,
        RateLimits = RateLimits,
        Quirks = Quirks,
        Prefill = Prefill ?? ProviderConfig.DefaultPrefill(Format),
        Models = Models,
        Headers = Headers,
        UpstreamModels = UpstreamModels,
        MaxOutputTokens = MaxOutputTokens,
        Capabilities = Capabilities,
        EmbeddingModels = [.. EmbeddingModels.Select(m => m.Model)],
    };

    /// <summary>
    /// The known limits for a key of <paramref name="tier"/>: the preset's figures only describe its default tier's
    /// free allowance, so a key on another tier starts with none and learns them from the provider's answers.
    /// </summary>
    public (KeyLimits Limits, ImmutableDictionary<string, KeyLimits> ModelLimits) LimitsFor(KeyTier tier) =>
        tier == KeyTier.Free && DefaultTier == KeyTier.Free
            ? (KeyLimits, FreeModels.Select(m => (m.Model, m.Limits))
                .Concat(EmbeddingModels.Where(m => m.Limits != KeyLimits.Unknown).Select(m => (m.Model, m.Limits)))
                .ToImmutableDictionary(m => m.Model, m => m.Limits, StringComparer.Ordinal))
            : (KeyLimits.Unknown, ImmutableDictionary<string, KeyLimits>.Empty);
}
