using static Spillway.Core.Tests.Planning.PlannerFixtures;
using Spillway.Core.Configuration;
using Spillway.Core.Health;
using Spillway.Core.Planning;
using Spillway.Core.Providers;

namespace Spillway.Core.Tests.Planning;

public class RoutePlannerStrategyTests
{
    private static readonly ModelAliasConfig[] Aliases =
    [
        new("any", RoutingStrategy.Ordered, ["openai/gpt-4o", "groq/llama", "openai/gpt-4o-mini", "mixed/m"]),
    ];

    // openai is paid (gpt-4o dearer than gpt-4o-mini); groq is free; "mixed" has a paid key listed before a free one.
    private static SpillwayConfig ConfigWith(RoutingStrategy strategy, params PriceOverride[] extraPrices) => new()
    {
        Providers =
        [
            Provider("openai", Key("openai-1", KeyTier.Paid)),
            Provider("groq", Key("groq-1")),
            Provider("mixed", Key("mixed-paid", KeyTier.Paid), Key("mixed-free")),
        ],
        Models = [.. Aliases.Select(a => a with { Strategy = strategy })],
        Pricing =
        [
            new PriceOverride("openai/gpt-4o", 2.50m, 10.00m),
            new PriceOverride("openai/gpt-4o-mini", 0.15m, 0.60m),
            .. extraPrices,
        ],
    };

    private static RoutePlanner Planner(IRouteSpeed? speed = null) => new(speed ?? new UnmeasuredRouteSpeed(), new FixedUsage([]));

    [Fact]
    public void Plan_Ordered_StepsAsListed()
    {
        var plan = PlanOf(Planner(), ConfigWith(RoutingStrategy.Ordered), "any");

        Assert.Equal(
            ["openai/gpt-4o @openai-1", "groq/llama @groq-1", "openai/gpt-4o-mini @openai-1", "mixed/m @mixed-paid", "mixed/m @mixed-free"],
            Steps(plan));
    }

    [Fact]
    public void Plan_Cheapest_FreeKeysAtZeroThenPaidByPriceThenUnpriced()
    {
        var plan = PlanOf(Planner(), ConfigWith(RoutingStrategy.Cheapest), "any");

        Assert.Equal(
            ["groq/llama @groq-1", "mixed/m @mixed-free", "openai/gpt-4o-mini @openai-1", "openai/gpt-4o @openai-1", "mixed/m @mixed-paid"],
            Steps(plan));
    }

    [Fact]
    public void Plan_CheapestPaidRouteAtZeroPrice_TiesWithFreeInListedOrder()
    {
        var plan = PlanOf(Planner(), ConfigWith(RoutingStrategy.Cheapest, new PriceOverride("mixed/m", 0m, 0m)), "any");

        Assert.Equal(
            ["groq/llama @groq-1", "mixed/m @mixed-paid", "mixed/m @mixed-free", "openai/gpt-4o-mini @openai-1", "openai/gpt-4o @openai-1"],
            Steps(plan));
    }

    [Fact]
    public void Plan_FreeFirst_EveryFreeStepBeforeAnyPaidOneEvenAtZeroPrice()
    {
        var plan = PlanOf(Planner(), ConfigWith(RoutingStrategy.FreeFirst, new PriceOverride("mixed/m", 0m, 0m)), "any");

        Assert.Equal(
            ["groq/llama @groq-1", "mixed/m @mixed-free", "mixed/m @mixed-paid", "openai/gpt-4o-mini @openai-1", "openai/gpt-4o @openai-1"],
            Steps(plan));
    }

    [Fact]
    public void Plan_CheapestWithLongRequest_InputPriceDecides()
    {
        // a has cheap output and dear input, b the other way round: a short request costs mostly output, so a wins;
        // a long one mostly input, so b wins.
        var config = new SpillwayConfig
        {
            Providers = [Provider("p", Key("p-1", KeyTier.Paid))],
            Models = [new ModelAliasConfig("x", RoutingStrategy.Cheapest, ["p/a", "p/b"])],
            Pricing = [new PriceOverride("p/a", 10m, 1m), new PriceOverride("p/b", 1m, 10m)],
        };
        var shortRequest = new RequestNeeds(false, false, false, InputTokens: 100, MaxOutputTokens: null);
        var longRequest = new RequestNeeds(false, false, false, InputTokens: 100_000, MaxOutputTokens: 500);

        Assert.Equal(["p/a @p-1", "p/b @p-1"], Steps(PlanOf(Planner(), config, "x", shortRequest)));
        Assert.Equal(["p/b @p-1", "p/a @p-1"], Steps(PlanOf(Planner(), config, "x", longRequest)));
    }

    [Fact]
    public void Plan_CheapestOnPresetProvider_UsesThePresetsPinnedPrice()
    {
        var preset = Provider("openai", Key("openai-1", KeyTier.Paid)) with { Preset = "openai" };
        var config = new SpillwayConfig
        {
            Providers = [preset],

            // gpt-4.1-nano (0.10 / 0.40) is pinned cheaper than gpt-4o-mini (0.15 / 0.60); gpt-5 has no price.
            Models = [new ModelAliasConfig("x", RoutingStrategy.Cheapest, ["openai/gpt-5", "openai/gpt-4o-mini", "openai/gpt-4.1-nano"])],
        };

        Assert.Equal(
            ["openai/gpt-4.1-nano @openai-1", "openai/gpt-4o-mini @openai-1", "openai/gpt-5 @openai-1"],
            Steps(PlanOf(Planner(), config, "x")));
    }

    [Fact]
    public void Plan_Fastest_UnmeasuredFirstInListedOrderThenMeasuredByLatency()
    {
        var speed = new FixedSpeed(new() { ["openai/gpt-4o"] = 900, ["openai/gpt-4o-mini"] = 300, ["mixed/m"] = 600 });

        var plan = PlanOf(Planner(speed), ConfigWith(RoutingStrategy.Fastest), "any");

        Assert.Equal(
            ["groq/llama @groq-1", "openai/gpt-4o-mini @openai-1", "mixed/m @mixed-paid", "mixed/m @mixed-free", "openai/gpt-4o @openai-1"],
            Steps(plan));
    }

    [Fact]
    public void Plan_FastestNothingMeasured_ListedOrder()
    {
        var plan = PlanOf(Planner(), ConfigWith(RoutingStrategy.Fastest), "any");

        Assert.Equal(Steps(PlanOf(Planner(), ConfigWith(RoutingStrategy.Ordered), "any")), Steps(plan));
    }

    [Fact]
    public void Plan_DirectRoute_FreeKeysBeforePaidOnes()
    {
        var plan = PlanOf(Planner(), ConfigWith(RoutingStrategy.Ordered), "mixed/m");

        Assert.Equal(["mixed/m @mixed-free", "mixed/m @mixed-paid"], Steps(plan));
    }

    [Fact]
    public void Plan_AliasThenModelsList_EachOrderedOnItsOwnInTheClientsOrder()
    {
        var config = ConfigWith(RoutingStrategy.Cheapest);

        var plan = Planner().Plan(config, PlanRequest.For("openai/gpt-4o", ["any"]), out _);

        Assert.Equal(
            ["openai/gpt-4o @openai-1", "groq/llama @groq-1", "mixed/m @mixed-free", "openai/gpt-4o-mini @openai-1", "mixed/m @mixed-paid"],
            Steps(plan!));
    }
}
