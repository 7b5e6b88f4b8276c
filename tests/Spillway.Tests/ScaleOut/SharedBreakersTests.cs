using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Spillway.Core.Configuration;
using Spillway.Core.Health;
using Spillway.Hosting;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.ScaleOut;

public sealed class SharedBreakersTests
{
    [Fact]
    public async Task Breaker_FailuresOnTwoInstances_ThirdSkipsTheRouteWithoutACall()
    {
        await using var cluster = await GatewayCluster.StartAsync(
            3,
            [new SimulatedProvider("a"), new SimulatedProvider("b")],
            config => config with { Breaker = new BreakerConfig(2, TimeSpan.FromSeconds(30)) });
        cluster["a"].EnqueueMany(SimulatedFault.Overloaded(), SimulatedFault.Overloaded());

        Assert.Equal(HttpStatusCode.OK, await Send(cluster, 0));
        Assert.Equal(HttpStatusCode.OK, await Send(cluster, 1));
        await Settle(cluster);

        Assert.Equal(HttpStatusCode.OK, await Send(cluster, 2));

        Assert.Equal(2, cluster["a"].CallCount);
        Assert.Equal(3, cluster["b"].CallCount);
        Assert.Equal(BreakerState.Open, cluster.Services(2).GetRequiredService<RouteHealth>().Breakers.View("a/gpt-4o-mini").State);
    }

    [Fact]
    public async Task Breaker_CoolOffOver_OneInstanceProbesAndItsSuccessReopensTheRouteForAll()
    {
        await using var cluster = await GatewayCluster.StartAsync(
            3,
            [new SimulatedProvider("a"), new SimulatedProvider("b")],
            config => config with { Breaker = new BreakerConfig(1, TimeSpan.FromSeconds(30)) });
        cluster["a"].Enqueue(SimulatedFault.Overloaded());
        Assert.Equal(HttpStatusCode.OK, await Send(cluster, 0));
        await Settle(cluster);
        cluster.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, await Send(cluster, 1));
        await Settle(cluster);
        Assert.Equal(HttpStatusCode.OK, await Send(cluster, 2));

        Assert.Equal(3, cluster["a"].CallCount);
        Assert.Equal(1, cluster["b"].CallCount);
    }

    private static async Task<HttpStatusCode> Send(GatewayCluster cluster, int instance)
    {
        using var response = await cluster.Instances[instance].PostAsync("/v1/chat/completions", TestGateway.ChatBody("chain"));
        return response.StatusCode;
    }

    /// <summary>Every instance's breaker writes done, then every mirror read again: the order of the messages on
    /// the channel does not decide the test (the channel itself is tested with the store).</summary>
    private static async Task Settle(GatewayCluster cluster)
    {
        var shared = Enumerable.Range(0, cluster.Instances.Count).Select(i => cluster.Services(i).GetRequiredService<SharedState>()).ToList();
        foreach (var state in shared)
        {
            await state.Breakers.FlushAsync();
        }

        foreach (var state in shared)
        {
            await state.Breakers.RefreshAsync("a/gpt-4o-mini");
        }
    }
}
