using Spillway.Core.Pricing;
using Spillway.Core.Providers;

namespace Spillway.Core.Planning;

/// <summary>
/// What one request is expected to cost on a step, to order steps by price: the estimated input tokens
/// (<see cref="RequestNeeds.InputTokens"/>) at the input price, plus the expected output at the output price. The
/// expected output is <see cref="TypicalOutputTokens"/>, or the client's <c>max_tokens</c> when that is smaller:
/// <c>max_tokens</c> is a ceiling most answers stay far below (Claude Code asks for 32,000). Cached-input discounts
/// are left out: whether a prefix is cached is not known before the call.
/// </summary>
public static class StepCost
{
    /// <summary>The output tokens a request is assumed to produce when the client does not cap it lower.</summary>
    public const long TypicalOutputTokens = 1_000;

    /// <summary>The estimated USD of one request: 0 on a free-tier key, null on a paid key whose route has no price.</summary>
    public static decimal? Estimate(RouteStep step, RequestNeeds needs, PriceBook prices)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(needs);
        ArgumentNullException.ThrowIfNull(prices);
        if (step.Key.Tier == KeyTier.Free)
        {
            return 0m;
        }

        if (prices.Find(step.Route) is not { } price)
        {
            return null;
        }

        var output = Math.Min(needs.MaxOutputTokens ?? TypicalOutputTokens, TypicalOutputTokens);
        return ((needs.InputTokens * price.Input) + (output * price.Output)) / 1_000_000m;
    }
}
