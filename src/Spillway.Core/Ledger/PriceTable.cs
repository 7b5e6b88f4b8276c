using Spillway.Core.Configuration;
using Spillway.Core.Providers.Presets;

namespace Spillway.Core.Ledger;

/// <summary>The list prices that hold for a config: the presets' pinned prices, with <c>pricing:</c> entries over them.</summary>
public static class PriceTable
{
    public static PriceBook For(SpillwayConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var prices = new Dictionary<string, PriceOverride>(StringComparer.Ordinal);
        foreach (var provider in config.Providers)
        {
            if (provider.Preset is null || ProviderPresets.Find(provider.Preset) is not { } preset)
            {
                continue;
            }

            foreach (var model in preset.CheapModels)
            {
                if (model is { Input: { } input, Output: { } output })
                {
                    var route = provider.Id + "/" + model.Model;
                    prices[route] = new PriceOverride(route, input, output, model.CachedInput);
                }
            }
        }

        foreach (var price in config.Pricing)
        {
            prices[price.Route] = price;
        }

        return new PriceBook(prices.Values);
    }
}
