using Spillway.Core.Pricing;
using Spillway.Core.Providers;

namespace Spillway.Core.Catalog;

/// <summary>
/// Prices from the live model lists (OpenRouter lists every model's prompt and completion price): what the bundled
/// table cannot know, since OpenRouter's models and prices change daily. The config's <c>pricing:</c> still wins.
/// </summary>
public sealed class CatalogPriceSource(IModelCatalog catalog) : IPriceSource
{
    public ModelPrice? Find(ProviderConfig provider, string model)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var listed = catalog.Describe(provider, provider.UpstreamModels.GetValueOrDefault(model, model));
        return listed is { InputPerMillion: { } input, OutputPerMillion: { } output }
            ? new ModelPrice(input, output) { Source = "model list of " + provider.Id }
            : null;
    }
}
