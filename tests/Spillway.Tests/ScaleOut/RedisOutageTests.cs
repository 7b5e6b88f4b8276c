using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Spillway.Core.Configuration;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.ScaleOut;

/// <summary>Redis taken away mid-run and brought back: every instance keeps serving, says so, and shares again.</summary>
public sealed class RedisOutageTests
{
    private const string TeamKey = "sk-spillway-team-key-0123456789";

    [Fact]
    public async Task RedisKilled_InstancesServeOnTheirOwnAndSayDegraded_ThenShareAgainWhenItReturns()
    {
        await using var cluster = await GatewayCluster.StartAsync(
            2,
            [new SimulatedProvider("groq", SimulatorStyle.Groq)],
            config => config with { Auth = config.Auth with { Clients = [new ClientKeyConfig("team", ClientKeyHash.Of(TeamKey)) { RequestsPerMinute = 2 }] } });
        var healthy = await Health(cluster.Instances[0]);
        Assert.Equal("ok", healthy.GetProperty("status").GetString());
        Assert.Equal("redis", healthy.GetProperty("stores").GetProperty("live_state").GetString());
        Assert.Equal("127.0.0.1:" + cluster.Redis.Port, healthy.GetProperty("stores").GetProperty("redis").GetString());

        await cluster.Redis.StopAsync();
        await UntilAsync(cluster.Instances, "degraded");

        // Each instance counts the client's rpm on its own: two each, none refused for the store's absence.
        Assert.Equal(HttpStatusCode.OK, await Send(cluster.Instances[0]));
        Assert.Equal(HttpStatusCode.OK, await Send(cluster.Instances[0]));
        Assert.Equal(HttpStatusCode.OK, await Send(cluster.Instances[1]));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Send(cluster.Instances[0]));
        var degraded = await Health(cluster.Instances[1]);
        Assert.Contains("unreachable", degraded.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        Assert.False(degraded.GetProperty("stores").GetProperty("redis_reachable").GetBoolean());

        await cluster.Redis.StartAsync();
        await UntilAsync(cluster.Instances, "ok");
        cluster.Time.Advance(TimeSpan.FromMinutes(1));

        // Shared again (a fresh Redis: the window starts empty): two between both instances.
        Assert.Equal(HttpStatusCode.OK, await Send(cluster.Instances[1]));
        Assert.Equal(HttpStatusCode.OK, await Send(cluster.Instances[0]));
        Assert.Equal(HttpStatusCode.TooManyRequests, await Send(cluster.Instances[1]));
    }

    private static async Task<HttpStatusCode> Send(HttpClient instance)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = TestGateway.ChatBody("chain") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TeamKey);
        using var response = await instance.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<JsonElement> Health(HttpClient instance)
    {
        using var document = JsonDocument.Parse(await instance.GetStringAsync("/healthz"));
        return document.RootElement.Clone();
    }

    /// <summary>Waits for the instances to notice the outage or the return (the Redis client reconnects in the
    /// background): bounded, and it is the server's state the test waits on, not a fixed sleep.</summary>
    private static async Task UntilAsync(IReadOnlyList<HttpClient> instances, string status)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var statuses = await Task.WhenAll(instances.Select(async i => (await Health(i)).GetProperty("status").GetString()));
            if (statuses.All(s => s == status))
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"the instances did not report '{status}' within 30 s");
    }
}
