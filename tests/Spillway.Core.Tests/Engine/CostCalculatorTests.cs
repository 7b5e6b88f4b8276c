using static Spillway.Core.Tests.Planning.PlannerFixtures;
using Microsoft.Extensions.Logging;
using Spillway.Core.Chat;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Core.Planning;
using Spillway.Core.Pricing;
using Spillway.Core.Providers;
using Spillway.Core.Tests.Ledger;

namespace Spillway.Core.Tests.Engine;

public class CostCalculatorTests
{
    private static readonly ProviderConfig Free = Provider("free", Key("free-key"));
    private static readonly ProviderConfig Paid = Provider("paid", Key("paid-key", KeyTier.Paid));
    private static readonly TokenUsage Usage = new(10_000, 1_000, CachedInputTokens: 2_000);

    private readonly ListLogger<CostCalculator> _log = new();

    private static SpillwayConfig Config(string? reference = null, params PriceOverride[] prices) => new()
    {
        Providers = [Free, Paid],
        Pricing = [.. prices],
        PricingReference = reference,
    };

    private CostCalculator Calculator(SpillwayConfig config) => new(() => config, new PriceBooks(null), _log);

    private static RouteStep Step(ProviderConfig provider, string model) => new(provider, model, provider.Keys[0]);

    [Fact]
    public void Cost_FreeKey_ZeroEvenUnpricedOrWithoutUsage()
    {
        var costs = Calculator(Config());

        Assert.Equal(0m, costs.Cost(Step(Free, "m"), Usage));
        Assert.Equal(0m, costs.Cost(Step(Free, "m"), null));
        Assert.Empty(costs.Unpriced.Snapshot());
    }

    [Fact]
    public void Cost_PaidPriced_FromTheListPrice()
    {
        var costs = Calculator(Config(null, new PriceOverride("paid/m", 1m, 4m, CachedInput: 0.5m)));

        // 8,000 × 1 + 2,000 × 0.5 + 1,000 × 4 = 8,000 + 1,000 + 4,000
        Assert.Equal(0.013m, costs.Cost(Step(Paid, "m"), Usage));
    }

    [Fact]
    public void Cost_PaidUnpriced_NullCountedAndWarnedOncePerRoute()
    {
        var costs = Calculator(Config());

        Assert.Null(costs.Cost(Step(Paid, "m"), Usage));
        Assert.Null(costs.Cost(Step(Paid, "m"), Usage));
        Assert.Null(costs.Cost(Step(Paid, "other"), Usage));

        Assert.Equal([new("paid/m", 2L), new KeyValuePair<string, long>("paid/other", 1L)], costs.Unpriced.Snapshot());
        var warnings = _log.Records.Where(r => r.Level == LogLevel.Warning).Select(r => r.Message).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("paid/m", warnings[0], StringComparison.Ordinal);
        Assert.Contains("pricing:", warnings[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Cost_PaidWithoutUsage_NullButNotUnpriced()
    {
        var costs = Calculator(Config(null, new PriceOverride("paid/m", 1m, 4m)));

        Assert.Null(costs.Cost(Step(Paid, "m"), null));
        Assert.Empty(costs.Unpriced.Snapshot());
    }

    [Fact]
    public void Cost_ProviderReportedCost_WinsOverPriceAndTier()
    {
        var costs = Calculator(Config(null, new PriceOverride("paid/m", 1m, 4m)));
        var reported = Usage with { ReportedCostUsd = 0.00042m };

        Assert.Equal(0.00042m, costs.Cost(Step(Paid, "m"), reported));
        Assert.Equal(0.00042m, costs.Cost(Step(Paid, "unpriced"), reported));
        Assert.Empty(costs.Unpriced.Snapshot());
    }

    [Fact]
    public void Saving_FreeCall_PricedAtTheFirstPricedPaidStepOfThePlan()
    {
        var costs = Calculator(Config(null, new PriceOverride("paid/b", 1m, 4m)));
        var served = Step(Free, "m");
        var plan = new RoutePlan([served, Step(Paid, "a"), Step(Paid, "b")], []);

        // paid/a has no price; paid/b: 10,000 × 1 + 1,000 × 4 (no cached price: cached at input price)
        Assert.Equal(0.014m, costs.Saving(plan, served, Usage, 0m));
    }

    [Fact]
    public void Saving_ChainWithoutPaidStep_PricedAtTheReference()
    {
        var costs = Calculator(Config("openai/gpt-4o-mini"));
        var served = Step(Free, "m");

        // gpt-4o-mini (bundled): 8,000 × 0.15 + 2,000 × 0.075 + 1,000 × 0.60 = 1,200 + 150 + 600
        Assert.Equal(0.00195m, costs.Saving(new RoutePlan([served], []), served, Usage, 0m));
    }

    [Fact]
    public void Saving_NothingToCompareWith_Null()
    {
        var costs = Calculator(Config());
        var served = Step(Free, "m");

        Assert.Null(costs.Saving(new RoutePlan([served, Step(Paid, "unpriced")], []), served, Usage, 0m));
    }

    [Fact]
    public void Saving_PaidOrUnknownCost_Null()
    {
        var costs = Calculator(Config("openai/gpt-4o-mini"));
        var served = Step(Paid, "m");
        var plan = new RoutePlan([served], []);

        Assert.Null(costs.Saving(plan, served, Usage, 0.01m));
        Assert.Null(costs.Saving(plan, served, Usage, null));
        Assert.Null(costs.Saving(plan, Step(Free, "m"), null, 0m));
    }

    [Fact]
    public void Cost_ConfigReloaded_NewPricesApply()
    {
        var config = Config(null, new PriceOverride("paid/m", 1m, 0m));
        var costs = new CostCalculator(() => config, new PriceBooks(null), _log);
        Assert.Equal(0.01m, costs.Cost(Step(Paid, "m"), new TokenUsage(10_000, 0)));

        config = Config(null, new PriceOverride("paid/m", 2m, 0m));

        Assert.Equal(0.02m, costs.Cost(Step(Paid, "m"), new TokenUsage(10_000, 0)));
    }
}
