using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Spillway.Core.Providers;
using Spillway.Hosting;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.ScaleOut;

/// <summary>One key's known limits held exactly across three instances: no free capacity wasted, none exceeded.</summary>
public sealed class SharedKeyQuotaTests
{
    [Fact]
    public async Task KeyRpm_ThirtyRequestsOverThreeInstances_KeyCalledExactlySixTimesInItsMinute()
    {
        await using var cluster = await GatewayCluster.StartAsync(
            3,
            [new SimulatedProvider("a") { RequestsPerMinute = 6 }, new SimulatedProvider("b")],
            config => config with
            {
                Providers = [.. config.Providers.Select(p => p.Id == "a" ? p with { Keys = [p.Keys[0] with { Limits = new KeyLimits(Rpm: 6) }] } : p)],
            });

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Send(cluster, i % 3)));

        Assert.All(responses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(6, cluster["a"].CallCount);
        Assert.Equal(24, cluster["b"].CallCount);

        // The next minute has room for six more, on any instance.
        cluster.Time.Advance(TimeSpan.FromMinutes(1));
        await Task.WhenAll(Enumerable.Range(0, 9).Select(i => Send(cluster, i % 3)));
        Assert.Equal(12, cluster["a"].CallCount);
    }

    [Fact]
    public async Task HeaderExhaustion_LearnedOnOneInstance_OthersSkipTheKeyWithNoCall()
    {
        await using var cluster = await GatewayCluster.StartAsync(
            3,
            [new SimulatedProvider("a") { RequestsPerMinute = 1 }, new SimulatedProvider("b")]);

        // Instance 0's call takes the key's last request of the minute; the answer's headers say none are left.
        Assert.Equal(HttpStatusCode.OK, await Send(cluster, 0));
        await cluster.Services(0).GetRequiredService<SharedState>().FlushAsync();

        Assert.Equal(HttpStatusCode.OK, await Send(cluster, 1));
        Assert.Equal(HttpStatusCode.OK, await Send(cluster, 2));

        Assert.Equal(1, cluster["a"].CallCount);
        Assert.Equal(2, cluster["b"].CallCount);
    }

    private static async Task<HttpStatusCode> Send(GatewayCluster cluster, int instance)
    {
        using var response = await cluster.Instances[instance].PostAsync("/v1/chat/completions", TestGateway.ChatBody("chain"));
        return response.StatusCode;
    }
}
