using static Spillway.Core.Tests.Planning.PlannerFixtures;
using System.Collections.Immutable;
using Spillway.Core.Configuration;
using Spillway.Core.Health;
using Spillway.Core.Ledger;
using Spillway.Core.Planning;
using Spillway.Core.Providers;

namespace Spillway.Core.Tests.Planning;

public class RoutePlannerCapabilityTests
{
    private static readonly SpillwayConfig Config = new()
    {
        Providers =
        [
            Provider("small", Key("small-1")) with
            {
                Capabilities = new Dictionary<string, ModelCapabilities>
                {
                    ["text"] = new(Tools: false, Vision: false, Json: false, ContextTokens: 8000),
                }.ToImmutableDictionary(),
            },
            Provider("big", Key("big-1")),
        ],
        Models = [new ModelAliasConfig("chain", RoutingStrategy.Ordered, ["small/text", "big/any"])],
    };

    private static readonly RoutePlanner Planner = new(new UnmeasuredRouteSpeed(), new FixedUsage([]));

    [Theory]
    [InlineData(true, false, false, 100, "tool calling")]
    [InlineData(false, true, false, 100, "image input")]
    [InlineData(false, false, true, 100, "JSON mode (response_format)")]
    [InlineData(false, false, false, 20_000, "a context of about 20000 input tokens (it takes 8000)")]
    public void Plan_NeedTheModelLacks_StepSkippedNamingIt(bool tools, bool images, bool json, long tokens, string missing)
    {
        var plan = PlanOf(Planner, Config, "chain", new RequestNeeds(tools, images, json, tokens, null));

        Assert.Equal(["big/any @big-1"], Steps(plan));
        var skip = Assert.Single(plan.PolicySkips);
        Assert.Equal(("small/text", "small-1", "skipped_capability", (int?)null), (skip.Route, skip.KeyId, skip.Outcome, skip.Status));
        Assert.Equal("the model does not support " + missing, skip.Detail);
    }

    [Fact]
    public void Plan_PlainRequest_NothingSkipped()
    {
        var plan = PlanOf(Planner, Config, "chain", new RequestNeeds(false, false, false, 7999, 100_000));

        Assert.Equal(["small/text @small-1", "big/any @big-1"], Steps(plan));
        Assert.Empty(plan.PolicySkips);
    }

    [Fact]
    public void Plan_SeveralNeedsMissing_AllNamedInOneSkip()
    {
        var plan = PlanOf(Planner, Config, "small/text", new RequestNeeds(true, false, true, 10, null));

        Assert.Empty(plan.Steps);
        Assert.Equal("the model does not support tool calling, JSON mode (response_format)", Assert.Single(plan.PolicySkips).Detail);
    }

    [Fact]
    public void Plan_PaidKeyOnFreeOnlyRequest_RecordedAsBudgetNotCapability()
    {
        var config = Config with { Providers = [Config.Providers[0] with { Keys = [Key("small-paid", KeyTier.Paid)] }] };

        var plan = Planner.Plan(config, new PlanRequest("small/text", [], new RequestPolicy(FreeOnly: true), new RequestNeeds(true, false, false, 10, null)), out _);

        Assert.Equal(Outcomes.SkippedBudget, Assert.Single(plan!.PolicySkips).Outcome);
    }
}
