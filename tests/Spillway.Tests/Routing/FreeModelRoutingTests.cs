using System.Net;
using Spillway.Core.Catalog;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Routing;

/// <summary><c>openrouter/free</c> end to end: served by a free model of the recorded catalog that fits the request.</summary>
public sealed class FreeModelRoutingTests
{
    private static readonly ModelCatalog Catalog = new(new Uri("http://unused"), DateTimeOffset.UnixEpoch, ModelListParser.Parse(CatalogGateway.Catalog));

    private static string ModelOf(HttpResponseMessage response) =>
        response.Headers.GetValues("x-spillway-route").Single()["openrouter/".Length..];

    [Fact]
    public async Task FreeRoute_FirstFreeModelRateLimitedUpstream_ServedByTheNextFreeModel()
    {
        await using var gateway = await CatalogGateway.StartAsync();
        await CatalogGateway.FreeAsync(gateway);
        gateway["openrouter"].Enqueue(SimulatedFault.UpstreamRateLimited());

        using var response = await gateway.ChatAsync("openrouter/free");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2", response.Headers.GetValues("x-spillway-attempts").Single());
        var calls = gateway["openrouter"].Calls;
        Assert.Equal(2, calls.Count);
        Assert.NotEqual(calls[0].Model, calls[1].Model);
        Assert.All(calls, call => Assert.True(Catalog.Find(call.Model!)!.Free));
        Assert.Equal(calls[1].Model, ModelOf(response));
    }

    [Fact]
    public async Task FreeRoute_TwoRequests_SpreadOverDifferentFreeModels()
    {
        await using var gateway = await CatalogGateway.StartAsync();
        await CatalogGateway.FreeAsync(gateway);

        using var first = await gateway.ChatAsync("openrouter/free");
        using var second = await gateway.ChatAsync("openrouter/free");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.NotEqual(ModelOf(first), ModelOf(second));
    }

    [Fact]
    public async Task FreeRoute_RequestWithTools_ServedByAFreeModelThatTakesTools()
    {
        await using var gateway = await CatalogGateway.StartAsync();
        await CatalogGateway.FreeAsync(gateway);
        const string tools = ""","tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}]""";

        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.ChatAsync("openrouter/free", extra: tools);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(Catalog.Find(ModelOf(response))!.Tools);
        }
    }
}
