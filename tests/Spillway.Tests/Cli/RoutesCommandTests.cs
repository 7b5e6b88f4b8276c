using Spillway.Core.Configuration;
using Spillway.Simulator;
using Spillway.Tests.Routing;
using Spillway.Tests.Support;

namespace Spillway.Tests.Cli;

/// <summary><c>spillway routes reset ROUTE</c> through the CLI entry, against a running gateway.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class RoutesCommandTests
{
    [Fact]
    public async Task Reset_OpenBreaker_ClosesIt_TheNextRequestCallsTheRoute()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("a"), new SimulatedProvider("b")],
            (_, config) => config with { Breaker = new BreakerConfig(1, TimeSpan.FromMinutes(5)) });
        gateway["a"].Enqueue(SimulatedFault.Overloaded());
        await RouteBreakerTests.ServedByAsync(gateway, "b/gpt-4o-mini");

        var (exit, stdout, stderr) = await CliRun.RunAsync("routes", "reset", "a/gpt-4o-mini", "--url", gateway.Address.ToString());

        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        Assert.Contains("Reset the breaker of a/gpt-4o-mini", stdout, StringComparison.Ordinal);
        Assert.Contains("(it was open)", stdout, StringComparison.Ordinal);
        await RouteBreakerTests.ServedByAsync(gateway, "a/gpt-4o-mini");
    }

    [Fact]
    public async Task Reset_NoGatewayRunning_ExitsOneSayingBreakersLiveInTheGateway()
    {
        var (exit, stdout, stderr) = await CliRun.RunAsync("routes", "reset", "a/gpt-4o-mini", "--url", LoopbackPorts.ClosedUrl());

        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.Contains("no gateway answers at", stderr, StringComparison.Ordinal);
    }
}
