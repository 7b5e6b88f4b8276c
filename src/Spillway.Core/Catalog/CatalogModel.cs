using System.Text.Json.Serialization;
using Spillway.Core.Providers;

namespace Spillway.Core.Catalog;

/// <summary>One model as a provider's model list describes it. Null means the list does not say.</summary>
/// <param name="Id">The provider's model id (<c>meta-llama/llama-3.3-70b-instruct:free</c>).</param>
/// <param name="Name">The display name, if listed.</param>
/// <param name="ContextLength">The most tokens one request may carry.</param>
/// <param name="Tools">Takes tools (OpenRouter: <c>tools</c> in <c>supported_parameters</c>).</param>
/// <param name="Vision">Reads images (OpenRouter: <c>image</c> in <c>architecture.input_modalities</c>).</param>
/// <param name="Json">Honours <c>response_format</c> (OpenRouter: <c>response_format</c> or <c>structured_outputs</c>).</param>
/// <param name="Free">Priced zero for prompt and completion (and request and image where priced); see <see cref="FreePricing"/>.</param>
public sealed record CatalogModel(string Id, string? Name, int? ContextLength, bool? Tools, bool? Vision, bool? Json, bool Free)
{
    /// <summary>The listed prompt price in USD per million tokens, when the list gives a fixed one.</summary>
    public decimal? InputPerMillion { get; init; }

    /// <summary>The listed completion price in USD per million tokens, when the list gives a fixed one.</summary>
    public decimal? OutputPerMillion { get; init; }

    /// <summary>What the list says the model can take, for the capability filter.</summary>
    [JsonIgnore]
    public ModelCapabilities Capabilities => new(Tools, Vision, Json, ContextLength);
}
