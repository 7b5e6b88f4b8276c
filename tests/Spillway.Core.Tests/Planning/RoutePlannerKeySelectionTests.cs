using static Spillway.Core.Tests.Planning.PlannerFixtures;
using Spillway.Core.Configuration;
using Spillway.Core.Health;
using Spillway.Core.Planning;
using Spillway.Core.Providers;

namespace Spillway.Core.Tests.Planning;

public class RoutePlannerKeySelectionTests
{
    private static SpillwayConfig ConfigWith(KeySelection selection) => new()
    {
        Providers = [Provider("groq", Key("g1"), Key("g2"), Key("g3")) with { KeySelection = selection }],
        Models = [new ModelAliasConfig("two", RoutingStrategy.Ordered, ["groq/a", "groq/b"])],
    };

    private static string FirstKey(RoutePlan plan) => plan.Steps[0].Key.Id;

    [Fact]
    public void Plan_FillFirst_ConfigOrderEveryTime()
    {
        var planner = new RoutePlanner(new UnmeasuredRouteSpeed(), new FixedUsage([]));
        var config = ConfigWith(KeySelection.FillFirst);

        var firsts = Enumerable.Range(0, 4).Select(_ => FirstKey(PlanOf(planner, config, "groq/a")));

        Assert.Equal(["g1", "g1", "g1", "g1"], firsts);
    }

    [Fact]
    public void Plan_RoundRobin_EachRequestStartsOneKeyFurtherAndKeepsTheRest()
    {
        var planner = new RoutePlanner(new UnmeasuredRouteSpeed(), new FixedUsage([]));
        var config = ConfigWith(KeySelection.RoundRobin);

        Assert.Equal(["groq/a @g1", "groq/a @g2", "groq/a @g3"], Steps(PlanOf(planner, config, "groq/a")));
        Assert.Equal(["groq/a @g2", "groq/a @g3", "groq/a @g1"], Steps(PlanOf(planner, config, "groq/a")));
        Assert.Equal(["groq/a @g3", "groq/a @g1", "groq/a @g2"], Steps(PlanOf(planner, config, "groq/a")));
        Assert.Equal("g1", FirstKey(PlanOf(planner, config, "groq/a")));
    }

    [Fact]
    public void Plan_RoundRobinProviderInTwoRoutes_RotatesOncePerRequest()
    {
        var planner = new RoutePlanner(new UnmeasuredRouteSpeed(), new FixedUsage([]));
        var config = ConfigWith(KeySelection.RoundRobin);

        var first = PlanOf(planner, config, "two");
        var second = PlanOf(planner, config, "two");

        Assert.Equal(["groq/a @g1", "groq/a @g2", "groq/a @g3", "groq/b @g1", "groq/b @g2", "groq/b @g3"], Steps(first));
        Assert.Equal(["groq/a @g2", "groq/a @g3", "groq/a @g1", "groq/b @g2", "groq/b @g3", "groq/b @g1"], Steps(second));
    }

    [Fact]
    public void Plan_RoundRobinProviderAgainAfterAnother_RotatesOncePerRequestForEach()
    {
        var planner = new RoutePlanner(new UnmeasuredRouteSpeed(), new FixedUsage([]));
        var config = new SpillwayConfig
        {
            Providers =
            [
                Provider("groq", Key("g1"), Key("g2")) with { KeySelection = KeySelection.RoundRobin },
                Provider("mistral", Key("m1"), Key("m2")) with { KeySelection = KeySelection.RoundRobin },
            ],
            Models = [new ModelAliasConfig("mixed", RoutingStrategy.Ordered, ["groq/a", "mistral/x", "groq/b", "mistral/y"])],
        };

        var first = PlanOf(planner, config, "mixed");
        var second = PlanOf(planner, config, "mixed");

        Assert.Equal(
            ["groq/a @g1", "groq/a @g2", "mistral/x @m1", "mistral/x @m2", "groq/b @g1", "groq/b @g2", "mistral/y @m1", "mistral/y @m2"],
            Steps(first));
        Assert.Equal(
            ["groq/a @g2", "groq/a @g1", "mistral/x @m2", "mistral/x @m1", "groq/b @g2", "groq/b @g1", "mistral/y @m2", "mistral/y @m1"],
            Steps(second));
    }

    [Fact]
    public async Task Plan_RoundRobinFromManyThreads_EveryKeyStartsEquallyOften()
    {
        var planner = new RoutePlanner(new UnmeasuredRouteSpeed(), new FixedUsage([]));
        var config = ConfigWith(KeySelection.RoundRobin);

        var firsts = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => Task.Run(() => FirstKey(PlanOf(planner, config, "groq/a")))));

        Assert.All(firsts.GroupBy(k => k), group => Assert.Equal(100, group.Count()));
    }

    [Fact]
    public void Plan_LeastUsed_FewestRequestsTodayFirst()
    {
        var usage = new FixedUsage(new() { ["g1"] = 40, ["g2"] = 7, ["g3"] = 12 });
        var planner = new RoutePlanner(new UnmeasuredRouteSpeed(), usage);

        var plan = PlanOf(planner, ConfigWith(KeySelection.LeastUsed), "groq/a");

        Assert.Equal(["groq/a @g2", "groq/a @g3", "groq/a @g1"], Steps(plan));
    }

    [Fact]
    public void Plan_LeastUsedTie_TiedKeysTakeTurns()
    {
        var usage = new FixedUsage(new() { ["g1"] = 5, ["g2"] = 5, ["g3"] = 9 });
        var planner = new RoutePlanner(new UnmeasuredRouteSpeed(), usage);
        var config = ConfigWith(KeySelection.LeastUsed);

        var firsts = Enumerable.Range(0, 6).Select(_ => FirstKey(PlanOf(planner, config, "groq/a"))).ToList();

        Assert.Contains("g1", firsts);
        Assert.Contains("g2", firsts);
        Assert.DoesNotContain("g3", firsts);
    }

    [Theory]
    [InlineData(KeySelection.RoundRobin)]
    [InlineData(KeySelection.LeastUsed)]
    public void Plan_KeysOfTwoTiers_EachTierTakesTurnsInItsOwnPlaces(KeySelection selection)
    {
        var planner = new RoutePlanner(new UnmeasuredRouteSpeed(), new FixedUsage([]));
        var config = new SpillwayConfig
        {
            Providers = [Provider("groq", Key("f1"), Key("paid", KeyTier.Paid), Key("f2")) with { KeySelection = selection }],
            Models = [new ModelAliasConfig("listed", RoutingStrategy.Ordered, ["groq/a"])],
        };

        var plans = Enumerable.Range(0, 3).Select(_ => Steps(PlanOf(planner, config, "listed"))).ToList();

        Assert.Equal(["groq/a @f1", "groq/a @paid", "groq/a @f2"], plans[0]);
        Assert.Equal(["groq/a @f2", "groq/a @paid", "groq/a @f1"], plans[1]);
        Assert.Equal(["groq/a @f1", "groq/a @paid", "groq/a @f2"], plans[2]);
    }
}
