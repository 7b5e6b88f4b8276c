using System.Collections.Immutable;
using System.Text.Json;

namespace Spillway.Core.Catalog;

/// <summary>Reads a provider's <c>GET /models</c> answer into catalog models.</summary>
public static class ModelListParser
{
    /// <summary>The listed models, in order; entries without an id are left out.</summary>
    /// <exception cref="JsonException">The body is not a model list.</exception>
    public static ImmutableArray<CatalogModel> Parse(ReadOnlySpan<byte> body)
    {
        var list = JsonSerializer.Deserialize(body, CatalogJsonContext.Default.ModelListJson)
            ?? throw new JsonException("The model list is null.");
        if (list.Data is null && list.Models is null)
        {
            throw new JsonException("The answer has neither 'data' nor 'models': it is not a model list.");
        }

        var models = ImmutableArray.CreateBuilder<CatalogModel>();
        foreach (var model in list.Data ?? [])
        {
            if (!string.IsNullOrEmpty(model?.Id))
            {
                models.Add(FromListed(model));
            }
        }

        foreach (var model in list.Models ?? [])
        {
            if (!string.IsNullOrEmpty(model?.Name))
            {
                var id = model.Name.StartsWith("models/", StringComparison.Ordinal) ? model.Name["models/".Length..] : model.Name;
                models.Add(new CatalogModel(id, model.DisplayName, model.InputTokenLimit, null, null, null, Free: false));
            }
        }

        return models.ToImmutable();
    }

    private static CatalogModel FromListed(ListedModelJson model)
    {
        var parameters = model.SupportedParameters;
        var inputs = model.Architecture?.InputModalities;
        var outputs = model.Architecture?.OutputModalities;
        var pricing = model.Pricing;

        // A model that writes no text (image or embedding models) cannot answer a chat, whatever its price.
        var writesText = outputs is null || outputs.Contains("text");
        var free = pricing is not null && writesText && FreePricing.IsFree(pricing.Prompt, pricing.Completion, pricing.Request, pricing.Image);
        return new CatalogModel(
            model.Id!,
            model.Name,
            model.ContextLength ?? model.ContextWindow ?? model.MaxContextLength,
            parameters is null ? null : parameters.Contains("tools"),
            inputs is null ? null : inputs.Contains("image"),
            parameters is null ? null : parameters.Contains("response_format") || parameters.Contains("structured_outputs"),
            free)
        {
            // Per-token prices become per-million; a negative price ("-1": decided per call) is no price at all.
            InputPerMillion = pricing?.Prompt is >= 0m and var prompt ? prompt * 1_000_000m : null,
            OutputPerMillion = pricing?.Completion is >= 0m and var completion ? completion * 1_000_000m : null,
        };
    }
}
