using System.Text.Json;
using Spillway.Core.Configuration;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary><c>GET /admin/models</c>: the aliases and their chains.</summary>
public sealed class AdminModelsEndpointsTests
{
    [Fact]
    public async Task Models_ListEachAliasWithItsStrategyAndChainInOrder()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("md-a"), new SimulatedProvider("md-b")],
            (_, config) => config with
            {
                Models = [.. config.Models, new ModelAliasConfig("cheap", RoutingStrategy.Cheapest, ["md-b/gpt-4o-mini"])],
            });

        using var json = JsonDocument.Parse(await gateway.Http.GetStringAsync("/admin/models"));

        var aliases = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["chain", "cheap"], aliases.Select(a => a.GetProperty("id").GetString()));
        Assert.Equal("ordered", aliases[0].GetProperty("strategy").GetString());
        Assert.Equal(["md-a/gpt-4o-mini", "md-b/gpt-4o-mini"], aliases[0].GetProperty("route").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("cheapest", aliases[1].GetProperty("strategy").GetString());
        Assert.False(aliases[1].GetProperty("embeddings").GetBoolean());
    }
}
