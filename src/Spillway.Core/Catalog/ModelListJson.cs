using System.Text.Json.Serialization;

namespace Spillway.Core.Catalog;

/// <summary>
/// A <c>GET /models</c> answer: <c>data</c> in OpenAI's list shape and OpenRouter's richer one (wire-facts §1.6,
/// §5.4), <c>models</c> in Gemini's. Only the fields the catalog uses; the rest is skipped.
/// </summary>
internal sealed class ModelListJson
{
    public List<ListedModelJson?>? Data { get; set; }

    public List<GeminiModelJson?>? Models { get; set; }
}

/// <summary>One model of an OpenAI-shaped list; the OpenRouter fields are absent elsewhere.</summary>
internal sealed class ListedModelJson
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    /// <summary>OpenRouter.</summary>
    public int? ContextLength { get; set; }

    /// <summary>Groq.</summary>
    public int? ContextWindow { get; set; }

    /// <summary>Mistral.</summary>
    public int? MaxContextLength { get; set; }

    public ArchitectureJson? Architecture { get; set; }

    public PricingJson? Pricing { get; set; }

    public List<string?>? SupportedParameters { get; set; }
}

internal sealed class ArchitectureJson
{
    public List<string?>? InputModalities { get; set; }

    public List<string?>? OutputModalities { get; set; }
}

/// <summary>USD per token as decimal strings; <c>-1</c> where the price is decided per call.</summary>
internal sealed class PricingJson
{
    public decimal? Prompt { get; set; }

    public decimal? Completion { get; set; }

    public decimal? Request { get; set; }

    public decimal? Image { get; set; }
}

/// <summary>One model of Gemini's list: <c>{"name":"models/…","displayName","inputTokenLimit"}</c>.</summary>
internal sealed class GeminiModelJson
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("displayName")]
    public string? DisplayName { get; set; }

    [JsonPropertyName("inputTokenLimit")]
    public int? InputTokenLimit { get; set; }
}
