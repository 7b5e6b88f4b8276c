using Spillway.Core.Configuration;
using Spillway.Core.Routing;
using Spillway.Simulator;
using Spillway.Tests.Support;
using static Spillway.Tests.Endpoints.OpenAIEndpointsFallbackTests;

namespace Spillway.Tests.Routing;

/// <summary>A silent route times out and the request moves on (never retried on it), and the timeout counts
/// toward the route's breaker. Real clock: the deadlines are short and the simulators really stay silent.</summary>
public sealed class TimeoutFailoverTests
{
    [Fact]
    public async Task NonStream_SilentBeforeHeaders_TimesOutMovesOnWithoutARetryAndCountsTowardTheBreaker()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("a"), new SimulatedProvider("b")],
            (_, config) => config with
            {
                Timeouts = config.Timeouts with { FirstToken = TimeSpan.FromMilliseconds(400) },
                Breaker = new BreakerConfig(1, TimeSpan.FromMinutes(5)),
            });
        gateway["a"].Enqueue(SimulatedFault.HangBeforeHeaders());

        await RouteBreakerTests.ServedByAsync(gateway, "b/gpt-4o-mini");
        var timedOut = (await gateway.LedgerAsync(1))[0];
        await RouteBreakerTests.ServedByAsync(gateway, "b/gpt-4o-mini");
        var skipped = (await gateway.LedgerAsync(1))[0];

        Assert.Equal(["timeout", "ok"], Outcomes(timedOut));
        Assert.Equal(["skipped_breaker", "ok"], Outcomes(skipped));
        Assert.Equal(1, gateway["a"].CallCount);
    }

    [Fact]
    public async Task Stream_IdleBeforeTheFirstContent_TimesOutAndMovesOn()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("a"), new SimulatedProvider("b")],
            (_, config) => config with
            {
                Timeouts = config.Timeouts with { IdleStream = TimeSpan.FromMilliseconds(300) },
                Breaker = new BreakerConfig(1, TimeSpan.FromMinutes(5)),
            });
        // The role event comes at once, then the stream goes silent for longer than the idle limit.
        gateway["a"].StreamEventDelay = TimeSpan.FromSeconds(3);

        using var response = await gateway.ChatAsync("chain", stream: true);
        var events = await Sse.DataOfAsync(response);

        Assert.Equal("b/gpt-4o-mini", Header(response, SpillwayHeaders.Route));
        Assert.Equal("[DONE]", events[^1]);
        var ledger = (await gateway.LedgerAsync(1))[0];
        Assert.Equal(["timeout", "ok"], Outcomes(ledger));
        Assert.Contains("no event within 0.3 s", ledger.GetProperty("attempts")[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, gateway["a"].CallCount);
    }
}
