using Spillway.Core.Chat;
using Spillway.Core.Providers;

namespace Spillway.Core.Tests.Providers;

public sealed class UpstreamClientTests
{
    private static readonly HttpRequestOptionsKey<TimeSpan> ConnectTimeout = new("spillway.connect-timeout");

    [Fact]
    public void SetConnectTimeout_TheHandlersOwnDefault_SetsNoOption()
    {
        using var client = UpstreamClient.CreateDefault(TimeSpan.FromSeconds(5));
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:9/v1/chat/completions");

        client.SetConnectTimeout(request, TimeSpan.FromSeconds(5));

        Assert.False(request.Options.TryGetValue(ConnectTimeout, out _));
    }

    [Fact]
    public void SetConnectTimeout_AnotherTimeout_SetsIt()
    {
        using var client = UpstreamClient.CreateDefault(TimeSpan.FromSeconds(5));
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:9/v1/chat/completions");

        client.SetConnectTimeout(request, TimeSpan.FromSeconds(2));

        Assert.True(request.Options.TryGetValue(ConnectTimeout, out var timeout));
        Assert.Equal(TimeSpan.FromSeconds(2), timeout);
    }

    [Fact]
    public void SetConnectTimeout_ClientOverItsOwnInvoker_AlwaysSetsIt()
    {
        using var client = new UpstreamClient(new HttpMessageInvoker(new HttpClientHandler()), ownsInvoker: true);
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:9/v1/chat/completions");

        client.SetConnectTimeout(request, TimeSpan.FromSeconds(5));

        Assert.True(request.Options.TryGetValue(ConnectTimeout, out var timeout));
        Assert.Equal(TimeSpan.FromSeconds(5), timeout);
    }

    [Fact]
    public void CreatePost_BearerKey_SendsTheKeyAsBearer()
    {
        using var client = UpstreamClient.CreateDefault(TimeSpan.FromSeconds(5));
        var provider = new ProviderConfig
        {
            Id = "p",
            Format = WireFormat.OpenAI,
            BaseUrl = new Uri("http://127.0.0.1:9/v1"),
            Auth = AuthStyle.Bearer,
            Keys = [new KeyConfig("p-1", new Secret("sk-p-0123456789"), KeyTier.Free, KeyLimits.Unknown)],
        };

        using var request = client.CreatePost(new RouteStep(provider, "m", provider.Keys[0]), "chat/completions", new byte[] { 0x7b, 0x7d });

        Assert.Equal("Bearer sk-p-0123456789", Assert.Single(request.Headers.GetValues("Authorization")));
        Assert.Equal(new Uri("http://127.0.0.1:9/v1/chat/completions"), request.RequestUri);
    }
}
