using System.Collections.Frozen;
using Spillway.Core.Chat;
using Spillway.Core.Configuration;

namespace Spillway.Core.Ledger;

/// <summary>
/// List prices per route (USD per million tokens) and the cost of a call from its usage.
/// A free-tier key costs nothing; a paid call whose route has no price is unpriced (null), never $0.
/// </summary>
public sealed class PriceBook
{
    private readonly FrozenDictionary<string, PriceOverride> _prices;

    public PriceBook(IEnumerable<PriceOverride> prices)
    {
        _prices = prices.ToFrozenDictionary(p => p.Route, StringComparer.Ordinal);
    }

    public static PriceBook Empty { get; } = new([]);

    public PriceOverride? Find(string route) => _prices.GetValueOrDefault(route);

    /// <summary>The cost of one served call, or null when it cannot be known.</summary>
    public decimal? Cost(string route, KeyTier tier, TokenUsage? usage)
    {
        if (tier == KeyTier.Free)
        {
            return 0m;
        }

        if (usage is not { } u || Find(route) is not { } price)
        {
            return null;
        }

        var cached = Math.Min(u.CachedInputTokens, u.InputTokens);
        var uncached = u.InputTokens - cached;
        var cachedPrice = price.CachedInput ?? price.Input;
        var micro = (uncached * price.Input) + (cached * cachedPrice) + (u.OutputTokens * price.Output);
        return micro / 1_000_000m;
    }
}
