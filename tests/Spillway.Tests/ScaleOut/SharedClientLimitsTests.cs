using System.Net;
using System.Net.Http.Headers;
using Spillway.Core.Configuration;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.ScaleOut;

public sealed class SharedClientLimitsTests
{
    private const string TeamKey = "sk-spillway-team-key-0123456789";

    [Fact]
    public async Task Rpm_ThirtyRequestsOverThreeInstances_ExactlyTheLimitServed()
    {
        await using var cluster = await GatewayCluster.StartAsync(
            3,
            [new SimulatedProvider("groq", SimulatorStyle.Groq)],
            config => config with { Auth = config.Auth with { Clients = [new ClientKeyConfig("team", ClientKeyHash.Of(TeamKey)) { RequestsPerMinute = 6 }] } });

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Send(cluster.Instances[i % 3])));

        Assert.Equal(6, responses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(24, responses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(6, cluster["groq"].CallCount);

        // A minute on, the window has room again on any instance.
        cluster.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, await Send(cluster.Instances[2]));
    }

    private static async Task<HttpStatusCode> Send(HttpClient instance)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = TestGateway.ChatBody("chain") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TeamKey);
        using var response = await instance.SendAsync(request);
        return response.StatusCode;
    }
}
