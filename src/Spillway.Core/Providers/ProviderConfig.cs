using System.Collections.Immutable;
using Spillway.Core.Chat;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Providers;

/// <summary>One upstream provider as configured: a preset's data with the user's overrides applied.</summary>
public sealed record ProviderConfig
{
    /// <summary>Unique; the first segment of a route (<c>groq/llama-3.3-70b-versatile</c>).</summary>
    public required string Id { get; init; }

    public required WireFormat Format { get; init; }

    /// <summary>The preset it came from, if any (<c>groq</c>, <c>openrouter</c>, …).</summary>
    public string? Preset { get; init; }

    /// <summary>The part before the format's own paths (openai: before <c>/chat/completions</c>).</summary>
    public required Uri BaseUrl { get; init; }

    public AuthStyle Auth { get; init; } = AuthStyle.Bearer;

    /// <summary>True when the config marks the provider as one that may use prompts, for every key and model.</summary>
    public bool MayTrainOnPrompts { get; init; }

    /// <summary>Which calls the vendor's terms let it train on, from the preset; the config's own mark replaces it.
    /// See <see cref="Routing.DataPolicy"/>.</summary>
    public PromptTraining PresetTraining { get; init; }

    public ImmutableArray<KeyConfig> Keys { get; init; } = [];

    public RateLimitRules RateLimits { get; init; } = RateLimitRules.Default;

    public ParameterQuirks Quirks { get; init; } = ParameterQuirks.None;

    /// <summary>Whether the host continues an assistant prefill (<c>prefill:</c>), by default its format's
    /// (<see cref="DefaultPrefill"/>); a broken stream's continuation asks for the whole answer where it does not.</summary>
    public AssistantPrefill Prefill
    {
        get => _prefill ?? DefaultPrefill(Format);
        init => _prefill = value;
    }

    private readonly AssistantPrefill? _prefill;

    /// <summary>A format's prefill when nothing says otherwise: Anthropic's API continues one; an OpenAI- or
    /// Gemini-format host is not assumed to.</summary>
    public static AssistantPrefill DefaultPrefill(WireFormat format) =>
        format == WireFormat.Anthropic ? AssistantPrefill.Message : AssistantPrefill.None;

    /// <summary>This provider's own timeouts; null means the config-wide ones.</summary>
    public TimeoutsConfig? Timeouts { get; init; }

    /// <summary>Models known to be routable here (from the preset or config), listed by <c>/v1/models</c>.</summary>
    public ImmutableArray<string> Models { get; init; } = [];

    /// <summary>
    /// The models here that are embedding models (the preset's and the config's <c>embedding_models</c>): served by
    /// <c>POST /v1/embeddings</c> only, and never chained with another model (their vectors are not interchangeable).
    /// </summary>
    public ImmutableArray<string> EmbeddingModels { get; init; } = [];

    /// <summary>True when <paramref name="model"/> is one of <see cref="EmbeddingModels"/>.</summary>
    public bool IsEmbeddingModel(string model)
    {
        foreach (var embedding in EmbeddingModels)
        {
            if (string.Equals(embedding, model, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Route model names the provider knows by another id: the route <c>openrouter/free</c> asks
    /// OpenRouter for its <c>openrouter/free</c> router, which picks a free model that supports the request.</summary>
    public ImmutableDictionary<string, string> UpstreamModels { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Non-secret headers sent with every request (e.g. OpenRouter attribution).</summary>
    public ImmutableDictionary<string, string> Headers { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The most output tokens each model can produce (by route model id); a larger <c>max_tokens</c> is clamped.</summary>
    public ImmutableDictionary<string, int> MaxOutputTokens { get; init; } = ImmutableDictionary<string, int>.Empty;

    /// <summary>The output limit of <paramref name="model"/>, or null when unknown.</summary>
    public int? MaxOutputTokensOf(string model) => MaxOutputTokens.TryGetValue(model, out var limit) ? limit : null;

    /// <summary>What each model can take (tools, images, JSON mode, context), by route model id; see <see cref="CapabilitiesOf"/>.</summary>
    public ImmutableDictionary<string, ModelCapabilities> Capabilities { get; init; } = ImmutableDictionary<string, ModelCapabilities>.Empty;

    /// <summary>What <paramref name="model"/> can take; <see cref="ModelCapabilities.Unknown"/> (all assumed supported) when undescribed.</summary>
    public ModelCapabilities CapabilitiesOf(string model) => Capabilities.GetValueOrDefault(model) ?? ModelCapabilities.Unknown;

    /// <summary>The order this provider's keys are tried in for one route.</summary>
    public KeySelection KeySelection { get; init; } = KeySelection.FillFirst;

    /// <summary>True for the built-in demo's simulated providers; shown wherever the provider is shown.</summary>
    public bool Simulated { get; init; }
}
