using static Spillway.Core.Tests.Planning.PlannerFixtures;
using System.Collections.Immutable;
using Spillway.Core.Catalog;
using Spillway.Core.Configuration;
using Spillway.Core.Health;
using Spillway.Core.Ledger;
using Spillway.Core.Planning;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Planning;

/// <summary>The dynamic route <c>openrouter/free</c>: expanded from the catalog's free models that fit the request.</summary>
public class RoutePlannerFreeModelTests
{
    private static readonly ModelCatalog Fixture = new(
        new Uri("https://openrouter.ai/api/v1"),
        DateTimeOffset.UnixEpoch,
        ModelListParser.Parse(Fixtures.ReadBytes("openrouter-models-api-response-2025-12.json")));

    private static readonly SpillwayConfig Config = new()
    {
        Providers =
        [
            Provider("openrouter", Key("or-1")) with
            {
                Preset = "openrouter",
                UpstreamModels = ImmutableDictionary<string, string>.Empty.Add("free", "openrouter/free"),
            },
            Provider("groq", Key("groq-1")),
        ],
        Models = [new ModelAliasConfig("chain", RoutingStrategy.Ordered, ["groq/llama-3.3-70b", "openrouter/free"])],
    };

    private static ModelCatalogs WithFixture()
    {
        var catalogs = new ModelCatalogs();
        catalogs.Succeeded(CatalogSources.OpenRouter, Fixture);
        return catalogs;
    }

    private static RoutePlanner Planner(IModelCatalog catalog) => new(new UnmeasuredRouteSpeed(), new FixedUsage([]), catalog);

    private static List<string> Models(RoutePlan plan) => [.. plan.Steps.Select(step => step.Model)];

    [Fact]
    public void Plan_FreeRouteWithCatalog_ExpandsIntoFreeModelsWithTheProviderKey()
    {
        var plan = PlanOf(Planner(WithFixture()), Config, "openrouter/free");

        Assert.Equal(FreeRoutes.MaxModels, plan.Steps.Length);
        Assert.All(plan.Steps, step =>
        {
            Assert.True(Fixture.Find(step.Model)!.Free);
            Assert.Equal("or-1", step.Key.Id);
            Assert.Equal(step.Model, step.UpstreamModel);
        });
        Assert.Equal(plan.Steps.Length, plan.Steps.Select(s => s.Model).Distinct().Count());
    }

    [Fact]
    public void Plan_FreeRouteWithTools_SkipsFreeModelsWithoutTools()
    {
        var needs = RequestNeeds.None with { Tools = true };
        var plan = PlanOf(Planner(WithFixture()), Config, "openrouter/free", needs);

        Assert.NotEmpty(plan.Steps);
        Assert.All(plan.Steps, step => Assert.True(Fixture.Find(step.Model)!.Tools));
    }

    [Fact]
    public void Plan_FreeRouteWithLongInputImagesAndJson_KeepsOnlyModelsThatTakeAll()
    {
        var needs = new RequestNeeds(Tools: false, Images: true, Json: true, InputTokens: 100_000, MaxOutputTokens: null);
        var plan = PlanOf(Planner(WithFixture()), Config, "openrouter/free", needs);

        Assert.NotEmpty(plan.Steps);
        Assert.All(plan.Steps, step =>
        {
            var model = Fixture.Find(step.Model)!;
            Assert.True(model.Vision);
            Assert.True(model.Json);
        });

        var text = PlanOf(Planner(WithFixture()), Config, "openrouter/free", RequestNeeds.None with { InputTokens = 100_000 });
        Assert.All(text.Steps, step => Assert.True(Fixture.Find(step.Model)!.ContextLength >= 100_000));
        Assert.DoesNotContain(text.Steps, step => step.Model == "google/gemma-3n-e2b-it:free");
    }

    [Fact]
    public void Plan_FreeRouteTwice_StartsOneModelFurtherEachRequest()
    {
        var planner = Planner(WithFixture());

        var first = Models(PlanOf(planner, Config, "openrouter/free"));
        var second = Models(PlanOf(planner, Config, "openrouter/free"));

        Assert.Equal(first[1], second[0]);
        Assert.Equal(first.Skip(1).Take(FreeRoutes.MaxModels - 1), second.Take(FreeRoutes.MaxModels - 1));
    }

    [Fact]
    public void Plan_AliasWithFreeRoute_ExpandsInPlace()
    {
        var plan = PlanOf(Planner(WithFixture()), Config, "chain");

        Assert.Equal("groq/llama-3.3-70b", plan.Steps[0].Route);
        Assert.All(plan.Steps.Skip(1), step => Assert.EndsWith(":free", step.Route, StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_FreeRouteWithEmptyCatalog_KeepsOpenRoutersOwnRouter()
    {
        var step = Assert.Single(PlanOf(Planner(new ModelCatalogs()), Config, "openrouter/free").Steps);

        Assert.Equal("openrouter/free", step.Route);
        Assert.Equal("openrouter/free", step.UpstreamModel);
    }

    [Fact]
    public void Plan_NoFreeModelFits_RecordsOneCapabilitySkip()
    {
        var catalogs = new ModelCatalogs();
        catalogs.Succeeded(CatalogSources.OpenRouter, new ModelCatalog(Fixture.BaseUrl, Fixture.FetchedAt, [new CatalogModel("text:free", null, 4096, false, false, false, Free: true)]));
        var needs = RequestNeeds.None with { Tools = true };

        var plan = PlanOf(Planner(catalogs), Config, "openrouter/free", needs);

        Assert.Empty(plan.Steps);
        var skip = Assert.Single(plan.PolicySkips);
        Assert.Equal("openrouter/free", skip.Route);
        Assert.Equal(Outcomes.SkippedCapability, skip.Outcome);
    }

    [Fact]
    public void Plan_ListedModel_HeldToTheCatalogsContextWhereTheConfigIsSilent()
    {
        var catalogs = new ModelCatalogs();
        catalogs.Succeeded(CatalogSources.OfProvider("groq"), new ModelCatalog(
            new Uri("https://groq.example/v1"), DateTimeOffset.UnixEpoch, [new CatalogModel("small", null, 8192, null, null, null, false)]));

        var plan = PlanOf(Planner(catalogs), Config, "groq/small", RequestNeeds.None with { InputTokens = 20_000 });

        Assert.Empty(plan.Steps);
        Assert.Equal(Outcomes.SkippedCapability, Assert.Single(plan.PolicySkips).Outcome);
    }
}
