using System.Net;

namespace Spillway.Simulator.Tests;

public sealed class CompletionResponderTests
{
    private static readonly HttpClient Client = new();

    [Fact]
    public async Task NonStreaming_FailMidStream_TruncatesTheBodyAndAborts()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);
        simulator["openai"].Enqueue(SimulatedFault.FailMidStream(0));

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task NonStreaming_MalformedEvent_SendsA200WithUnparsableJson()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);
        simulator["openai"].Enqueue(SimulatedFault.MalformedEvent());

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body());
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("{\"id\":\"chatcmpl-sim", text, StringComparison.Ordinal);
        Assert.False(SimulatorCalls.IsJson(text));
    }

    [Theory]
    [InlineData(SimulatedFaultKind.StreamWithoutDone)]
    [InlineData(SimulatedFaultKind.KeepAliveComments)]
    public async Task NonStreaming_StreamOnlyFault_AnswersNormally(SimulatedFaultKind kind)
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);
        simulator["openai"].Enqueue(kind == SimulatedFaultKind.StreamWithoutDone ? SimulatedFault.StreamWithoutDone() : SimulatedFault.KeepAliveComments());

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body());
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("chat.completion", (string?)json["object"]);
        Assert.Equal(0, simulator["openai"].PendingFaults);
    }
}
