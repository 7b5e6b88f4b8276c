using System.Collections.Frozen;
using Spillway.Core.Configuration;
using Spillway.Core.Providers;

namespace Spillway.Core.Pricing;

/// <summary>
/// The list price of every route of one config, in layers: the config's <c>pricing:</c> first, then the live
/// <see cref="IPriceSource"/> (the OpenRouter catalog), then the bundled table under each provider's preset.
/// Built by <see cref="PriceTable.For"/>; the planner's <c>cheapest</c> strategy and the cost of every call read the same book.
/// </summary>
public sealed class PriceBook
{
    private readonly FrozenDictionary<string, ModelPrice> _overrides;
    private readonly FrozenDictionary<string, ProviderConfig> _providers;
    private readonly IPriceSource? _live;

    /// <summary>A book of config prices only (no bundled table, no live source).</summary>
    public PriceBook(IEnumerable<PriceOverride> prices)
        : this(prices, [], null)
    {
    }

    internal PriceBook(IEnumerable<PriceOverride> overrides, IEnumerable<ProviderConfig> providers, IPriceSource? live)
    {
        _overrides = overrides.ToFrozenDictionary(p => p.Route, p => p.ToPrice(), StringComparer.Ordinal);
        _providers = providers.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
        _live = live;
    }

    public static PriceBook Empty { get; } = new([]);

    /// <summary>The price of a configured <c>provider/model</c> route, or null when it is unpriced.</summary>
    public ModelPrice? Find(string route)
    {
        if (_overrides.GetValueOrDefault(route) is { } set)
        {
            return set;
        }

        var slash = route.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !_providers.TryGetValue(route[..slash], out var provider))
        {
            return null;
        }

        var model = route[(slash + 1)..];
        return _live?.Find(provider, model) ?? (provider.Preset is { } preset ? BundledPrices.Find(preset, model) : null);
    }

    /// <summary>
    /// The price of a reference route (<c>pricing_reference</c>): a configured route as <see cref="Find"/> prices
    /// it, else <c>&lt;preset id&gt;/&lt;model&gt;</c> straight from the bundled table.
    /// </summary>
    public ModelPrice? FindReference(string route)
    {
        if (Find(route) is { } price)
        {
            return price;
        }

        var slash = route.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && !_providers.ContainsKey(route[..slash]) ? BundledPrices.Find(route[..slash], route[(slash + 1)..]) : null;
    }
}
