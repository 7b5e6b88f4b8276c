using System.Diagnostics;
using System.Net;

namespace Spillway.Simulator.Tests;

public sealed class ProviderSimulatorTests
{
    private static readonly HttpClient Client = new();

    [Fact]
    public async Task StartAsync_TwoProviders_ServesEachUnderItsNameOnLoopback()
    {
        await using var simulator = await ProviderSimulator.StartAsync(
            [new SimulatedProvider("groq", SimulatorStyle.Groq), new SimulatedProvider("openrouter", SimulatorStyle.OpenRouter)]);

        Assert.Equal("127.0.0.1", simulator.BaseAddress.Host);
        Assert.NotEqual(0, simulator.BaseAddress.Port);
        Assert.EndsWith("/", simulator.BaseAddress.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(new Uri(simulator.BaseAddress, "groq/v1"), simulator.BaseUrlOf("groq"));
        Assert.Equal(SimulatorStyle.OpenRouter, simulator["OpenRouter"].Style);
        Assert.Equal(2, simulator.Providers.Count);

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openrouter"), SimulatorCalls.Body());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, simulator["openrouter"].CallCount);
        Assert.Equal(0, simulator["groq"].CallCount);
    }

    [Fact]
    public async Task StartAsync_DuplicateNames_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            ProviderSimulator.StartAsync([new SimulatedProvider("groq"), new SimulatedProvider("GROQ")]));
    }

    [Fact]
    public async Task Indexer_UnknownName_ThrowsKeyNotFound()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("groq")]);

        Assert.Throws<KeyNotFoundException>(() => simulator["mistral"]);
        Assert.Throws<KeyNotFoundException>(() => simulator.BaseUrlOf("mistral"));
    }

    [Fact]
    public async Task Post_UnknownProvider_Answers404MarkedAsSimulator()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("groq")]);

        using var response = await SimulatorCalls.PostAsync(Client, new Uri(simulator.BaseAddress, "nobody/v1"), SimulatorCalls.Body());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("spillway-simulator", SimulatorCalls.Header(response, "x-simulator"));
        Assert.Equal("unknown_simulated_provider", (string?)(await SimulatorCalls.JsonAsync(response))["error"]!["code"]);
    }

    [Fact]
    public async Task HangBeforeHeaders_ClientCancels_CallEndsAndTheNextCallIsServed()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);
        simulator["openai"].Enqueue(SimulatedFault.HangBeforeHeaders());
        using var cancellation = new CancellationTokenSource();
        var stopwatch = Stopwatch.StartNew();
        var hanging = SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body(), cancellationToken: cancellation.Token);

        // Cancel only once the call has reached the simulator: on a busy machine a call cancelled earlier might never
        // arrive, and the next call would take the scripted hang instead.
        while (simulator["openai"].CallCount == 0 && stopwatch.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(10);
        }

        await Task.Delay(300);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hanging);
        using var next = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body());

        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(250), "The call must hang until the client gives up.");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(SimulatedFaultKind.HangBeforeHeaders, simulator["openai"].Calls[0].Fault);
    }

    [Fact]
    public async Task DisposeAsync_WhileACallHangs_CutsItOffQuickly()
    {
        var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);
        simulator["openai"].Enqueue(SimulatedFault.HangBeforeHeaders());
        var hanging = SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body());
        while (simulator["openai"].CallCount == 0)
        {
            await Task.Delay(10);
        }

        var stopwatch = Stopwatch.StartNew();
        await simulator.DisposeAsync();
        await simulator.DisposeAsync();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"Stopping took {stopwatch.Elapsed}.");
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => hanging);
    }
}
