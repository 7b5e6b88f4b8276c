using System.Collections.Immutable;
using Spillway.Core.Chat;
using Spillway.Core.Configuration;
using Spillway.Core.Health;
using Spillway.Core.KeyState;
using Spillway.Core.Ledger;
using Spillway.Core.Planning;
using Spillway.Core.Providers;

namespace Spillway.Core.Tests.Planning;

public class RoutePlannerTests
{
    private static readonly SpillwayConfig Config = new()
    {
        Providers =
        [
            Provider("groq", mayTrain: false, Key("groq-free", KeyTier.Free), Key("groq-paid", KeyTier.Paid)),
            Provider("cerebras", mayTrain: false, Key("cerebras-1", KeyTier.Free)),
            Provider("openrouter", mayTrain: true, Key("or-free", KeyTier.Free)) with
            {
                UpstreamModels = ImmutableDictionary<string, string>.Empty.Add("free", "openrouter/free"),
            },
        ],
        Models =
        [
            new ModelAliasConfig("fast", RoutingStrategy.Ordered,
                ["groq/llama-3.3-70b", "cerebras/llama-3.3-70b", "openrouter/meta-llama/llama-3.3-70b:free"]),
            new ModelAliasConfig("stale", RoutingStrategy.Ordered, ["retired/some-model", "cerebras/qwen-3-32b"]),
        ],
    };

    private static readonly RoutePlanner Planner = new(new UnmeasuredRouteSpeed(), new InMemoryKeyUsage(TimeProvider.System));

    private static KeyConfig Key(string id, KeyTier tier) => new(id, new Secret("secret-" + id), tier, KeyLimits.Unknown);

    private static ProviderConfig Provider(string id, bool mayTrain, params KeyConfig[] keys) => new()
    {
        Id = id,
        Format = WireFormat.OpenAI,
        BaseUrl = new Uri("https://" + id + ".example/v1"),
        MayTrainOnPrompts = mayTrain,
        Keys = [.. keys],
    };

    private static RoutePlan PlanOf(string? model, string[]? models = null, RequestPolicy? policy = null)
    {
        var request = new PlanRequest(model, models ?? [], policy ?? RequestPolicy.Default, RequestNeeds.None);
        var plan = Planner.Plan(Config, request, out var error);
        Assert.Null(error);
        Assert.NotNull(plan);
        return plan;
    }

    private static List<string> Steps(RoutePlan plan) => [.. plan.Steps.Select(s => s.Route + " @" + s.Key.Id)];

    [Fact]
    public void Plan_Alias_OneStepPerKeyInRouteThenKeyOrder()
    {
        var plan = PlanOf("fast");

        Assert.Equal(
            [
                "groq/llama-3.3-70b @groq-free",
                "groq/llama-3.3-70b @groq-paid",
                "cerebras/llama-3.3-70b @cerebras-1",
                "openrouter/meta-llama/llama-3.3-70b:free @or-free",
            ],
            Steps(plan));
        Assert.Empty(plan.PolicySkips);
    }

    [Fact]
    public void Plan_DirectRoute_StepsForEveryKeyOfThatProvider()
    {
        var plan = PlanOf("groq/qwen-qwq-32b");

        Assert.Equal(["groq/qwen-qwq-32b @groq-free", "groq/qwen-qwq-32b @groq-paid"], Steps(plan));
        Assert.All(plan.Steps, s => Assert.Equal("groq", s.Provider.Id));
        Assert.All(plan.Steps, s => Assert.Equal("qwen-qwq-32b", s.Model));
    }

    [Fact]
    public void Plan_ModelContainingSlashes_ProviderIsFirstSegmentOnly()
    {
        var step = Assert.Single(PlanOf("openrouter/meta-llama/x:free").Steps);

        Assert.Equal("openrouter", step.Provider.Id);
        Assert.Equal("meta-llama/x:free", step.Model);
        Assert.Equal("openrouter/meta-llama/x:free", step.Route);
        Assert.Equal("meta-llama/x:free", step.UpstreamModel);
        Assert.Equal("or-free", step.Key.Id);
    }

    [Fact]
    public void Plan_ModelsList_AppendedAfterModelAsChain()
    {
        var plan = PlanOf("cerebras/a", ["openrouter/b", "groq/c"]);

        Assert.Equal(
            ["cerebras/a @cerebras-1", "openrouter/b @or-free", "groq/c @groq-free", "groq/c @groq-paid"],
            Steps(plan));
    }

    [Fact]
    public void Plan_OnlyModelsList_ChainInListOrder()
    {
        var plan = PlanOf(null, ["openrouter/b", "cerebras/a"]);

        Assert.Equal(["openrouter/b @or-free", "cerebras/a @cerebras-1"], Steps(plan));
    }

    [Fact]
    public void Plan_SameKeyAndModelTwice_KeptOnceAtFirstPosition()
    {
        var plan = PlanOf("cerebras/llama-3.3-70b", ["fast", "cerebras/llama-3.3-70b", "groq/llama-3.3-70b"]);

        Assert.Equal(
            [
                "cerebras/llama-3.3-70b @cerebras-1",
                "groq/llama-3.3-70b @groq-free",
                "groq/llama-3.3-70b @groq-paid",
                "openrouter/meta-llama/llama-3.3-70b:free @or-free",
            ],
            Steps(plan));
    }

    [Theory]
    [InlineData("gpt-5", null)]
    [InlineData("mystery/model", null)]
    [InlineData("fast", "nope/x")]
    [InlineData("no-slash-here", null)]
    public void Plan_UnknownAliasOrRoute_NullAndErrorNamesTheModel(string model, string? extra)
    {
        string[] models = extra is null ? [] : [extra];

        var plan = Planner.Plan(Config, PlanRequest.For(model, models), out var error);

        Assert.Null(plan);
        Assert.NotNull(error);
        Assert.Contains("'" + (extra ?? model) + "'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_AliasRouteOfUnknownProvider_SkippedSilently()
    {
        var plan = PlanOf("stale");

        Assert.Equal(["cerebras/qwen-3-32b @cerebras-1"], Steps(plan));
        Assert.Empty(plan.PolicySkips);
    }

    [Fact]
    public void Plan_SameAliasInANewSnapshotWithItsProvider_RouteNoLongerSkipped()
    {
        var retired = Provider("retired", mayTrain: false, Key("retired-1", KeyTier.Free));
        var before = PlanOf("stale");
        var withProvider = Config with { Providers = [.. Config.Providers, retired] };

        var after = Planner.Plan(withProvider, PlanRequest.For("stale", []), out _)!;

        Assert.Equal(["cerebras/qwen-3-32b @cerebras-1"], Steps(before));
        Assert.Equal(["retired/some-model @retired-1", "cerebras/qwen-3-32b @cerebras-1"], Steps(after));
    }

    [Fact]
    public void Plan_FreeOnly_PaidKeysRecordedAsSkippedBudget()
    {
        var plan = PlanOf("fast", policy: new RequestPolicy(FreeOnly: true));

        Assert.Equal(
            [
                "groq/llama-3.3-70b @groq-free",
                "cerebras/llama-3.3-70b @cerebras-1",
                "openrouter/meta-llama/llama-3.3-70b:free @or-free",
            ],
            Steps(plan));
        var skip = Assert.Single(plan.PolicySkips);
        Assert.Equal(
            new AttemptRecord("groq/llama-3.3-70b", "groq-paid", null, Outcomes.SkippedBudget, 0,
                "paid key; the request allows free tiers only"),
            skip);
    }

    [Fact]
    public void Plan_NoTrain_TrainingProvidersRecordedAsSkippedPolicy()
    {
        var plan = PlanOf("fast", policy: new RequestPolicy(NoTrain: true));

        Assert.Equal(
            ["groq/llama-3.3-70b @groq-free", "groq/llama-3.3-70b @groq-paid", "cerebras/llama-3.3-70b @cerebras-1"],
            Steps(plan));
        var skip = Assert.Single(plan.PolicySkips);
        Assert.Equal("openrouter/meta-llama/llama-3.3-70b:free", skip.Route);
        Assert.Equal("or-free", skip.KeyId);
        Assert.Null(skip.Status);
        Assert.Equal(Outcomes.SkippedPolicy, skip.Outcome);
        Assert.Equal("skipped_policy", skip.Outcome);
    }

    [Fact]
    public void Plan_FreeOnlyAndNoTrain_EachFilteredStepRecordedOnce()
    {
        var plan = PlanOf("openrouter/x", ["groq/y"], new RequestPolicy(FreeOnly: true, NoTrain: true));

        Assert.Equal(["groq/y @groq-free"], Steps(plan));
        Assert.Equal(
            [("openrouter/x", "or-free", "skipped_policy"), ("groq/y", "groq-paid", "skipped_budget")],
            plan.PolicySkips.Select(s => (s.Route, s.KeyId, s.Outcome)));
    }

    [Fact]
    public void Plan_RouteModelWithUpstreamName_StepSendsMappedModel()
    {
        var step = Assert.Single(PlanOf("openrouter/free").Steps);

        Assert.Equal("free", step.Model);
        Assert.Equal("openrouter/free", step.Route);
        Assert.Equal("openrouter/free", step.UpstreamModel);
    }

    [Fact]
    public void Plan_RouteModelWithoutUpstreamName_SendsModelItself()
    {
        var step = PlanOf("groq/free").Steps[0];

        Assert.Equal("free", step.UpstreamModel);
    }
}
