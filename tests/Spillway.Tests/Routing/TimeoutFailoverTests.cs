using static Spillway.Tests.Endpoints.OpenAIEndpointsFallbackTests;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Spillway.Core.Chat;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;
using Spillway.Simulator;
using Spillway.Tests.Support;

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

    [Fact]
    public async Task Connect_ProvidersOwnConnectTimeout_TimesOutAndMovesOnWithoutARetry()
    {
        using var silent = FullBacklogListener.Open();
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("b")],
            (_, config) => config with
            {
                Providers =
                [
                    new ProviderConfig
                    {
                        Id = "a",
                        Format = Core.Chat.WireFormat.OpenAI,
                        BaseUrl = new Uri($"http://127.0.0.1:{silent.Port}/v1"),
                        Keys = [new KeyConfig("a-key", new Secret("sk-connect-timeout-test"), KeyTier.Free, KeyLimits.Unknown)],
                        Timeouts = config.Timeouts with { Connect = TimeSpan.FromMilliseconds(300) },
                    },
                    .. config.Providers,
                ],
                Models = [new ModelAliasConfig("chain", RoutingStrategy.Ordered, ["a/gpt-4o-mini", "b/gpt-4o-mini"])],
                Timeouts = config.Timeouts with { Connect = TimeSpan.FromSeconds(20), FirstToken = TimeSpan.FromSeconds(20) },
            });

        var clock = Stopwatch.StartNew();
        using var response = await gateway.ChatAsync("chain");

        Assert.Equal("b/gpt-4o-mini", Header(response, SpillwayHeaders.Route));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        var ledger = (await gateway.LedgerAsync(1))[0];
        Assert.Equal(["timeout", "ok"], Outcomes(ledger));
        Assert.Contains("no connection to 127.0.0.1", ledger.GetProperty("attempts")[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A loopback port that accepts no connection: a listener that never accepts, its queue filled, so the kernel
    /// drops further handshakes and a new connection neither opens nor fails. Loopback only, like every test.
    /// </summary>
    private sealed class FullBacklogListener : IDisposable
    {
        private readonly Socket _listener;
        private readonly List<Socket> _fillers = [];

        private FullBacklogListener(Socket listener) => _listener = listener;

        public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

        public static FullBacklogListener Open()
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(0);
            var silent = new FullBacklogListener(listener);
            for (var i = 0; i < 8; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                silent._fillers.Add(filler);
                _ = filler.ConnectAsync(new IPEndPoint(IPAddress.Loopback, silent.Port));
            }

            // The test means nothing unless a new connection really hangs here.
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            Assert.False(probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, silent.Port)).Wait(TimeSpan.FromMilliseconds(500)), "the full backlog should hold a new connection");
            return silent;
        }

        public void Dispose()
        {
            foreach (var filler in _fillers)
            {
                filler.Dispose();
            }

            _listener.Dispose();
        }
    }
}
