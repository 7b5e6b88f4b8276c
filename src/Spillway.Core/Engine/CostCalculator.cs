using Microsoft.Extensions.Logging;
using Spillway.Core.Chat;
using Spillway.Core.Configuration;
using Spillway.Core.Planning;
using Spillway.Core.Pricing;
using Spillway.Core.Providers;

namespace Spillway.Core.Engine;

/// <summary>
/// The true cost of a served call and, for a free one, what it saved. The provider's own figure wins when the answer
/// carries one (OpenRouter's <c>usage.cost</c>); else a free-tier key costs $0; else the route's list price from the
/// <see cref="PriceBook"/> of the current config. A paid call on a route with no price is unpriced: null, a warning
/// (once per route) and a count in <see cref="Unpriced"/>, never $0.
/// </summary>
public sealed partial class CostCalculator
{
    private readonly Func<SpillwayConfig> _config;
    private readonly PriceBooks _prices;
    private readonly ILogger _logger;

    /// <param name="config">The current config snapshot (prices follow a reload).</param>
    /// <param name="prices">The price book of each config snapshot, shared with the planner.</param>
    /// <param name="logger">Where the unpriced-route warning goes.</param>
    public CostCalculator(Func<SpillwayConfig> config, PriceBooks prices, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(logger);
        _config = config;
        _prices = prices;
        _logger = logger;
    }

    public UnpricedCalls Unpriced { get; } = new();

    /// <summary>The USD the call on <paramref name="step"/> cost, or null when it cannot be known.</summary>
    public decimal? Cost(RouteStep step, TokenUsage? usage)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (usage?.ReportedCostUsd is { } reported)
        {
            return reported;
        }

        if (step.Key.Tier == KeyTier.Free)
        {
            return 0m;
        }

        if (usage is not { } tokens)
        {
            return null;
        }

        if (Prices().Find(step.Route) is { } price && CallCost.Of(price, tokens) is { } cost)
        {
            return cost;
        }

        if (Unpriced.Add(step.Route))
        {
            Log.Unpriced(_logger, step.Route, step.Key.Id);
        }

        return null;
    }

    /// <summary>
    /// What a call of <paramref name="inputTokens"/> in and <paramref name="outputTokens"/> out costs on
    /// <paramref name="step"/> at list price: 0 on a free-tier key, null on a paid route with no price.
    /// </summary>
    public decimal? Estimate(RouteStep step, long inputTokens, long outputTokens)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (step.Key.Tier == KeyTier.Free)
        {
            return 0m;
        }

        return Prices().Find(step.Route) is { } price ? CallCost.Of(price, new TokenUsage(inputTokens, outputTokens)) : null;
    }

    /// <summary>
    /// What a call that cost $0 would have cost with the same usage on the first priced paid step of its plan (other
    /// than the step that served it), else on the config's <c>pricing_reference</c>; null for a call that was not
    /// free or when there is nothing to compare with.
    /// </summary>
    public decimal? Saving(RoutePlan plan, RouteStep served, TokenUsage? usage, decimal? cost)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(served);
        if (cost != 0m || usage is not { } tokens)
        {
            return null;
        }

        var prices = Prices();
        foreach (var step in plan.Steps)
        {
            if (step.Key.Tier == KeyTier.Paid && !ReferenceEquals(step, served) &&
                prices.Find(step.Route) is { } price && CallCost.Of(price, tokens) is { } paid)
            {
                return paid;
            }
        }

        return _config().PricingReference is { } reference && prices.FindReference(reference) is { } referencePrice
            ? CallCost.Of(referencePrice, tokens)
            : null;
    }

    private PriceBook Prices() => _prices.For(_config());

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Warning,
            Message = "Paid call on {Route} (key {KeyId}) has no known price; recorded as unpriced. Add it under pricing: in the config")]
        public static partial void Unpriced(ILogger logger, string route, string keyId);
    }
}
