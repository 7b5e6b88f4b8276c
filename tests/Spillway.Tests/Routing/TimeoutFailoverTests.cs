using static Spillway.Tests.Endpoints.OpenAIEndpointsFallbackTests;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Core.Providers;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Routing;

/// <summary>
/// End to end over real sockets: a provider's own connect timeout gives up on a port that never accepts and the
/// request moves on without a retry. The deadline races nothing: the connection can never open, so only how soon
/// the timeout fires is measured, against a bound far below the config-wide 20 s it must not wait for. Every other
/// timeout (first token, idle stream, the breaker counting it) is covered on a fake clock in
/// tests/Spillway.Core.Tests/Engine/FallbackEngineTimeoutTests.cs.
/// </summary>
public sealed class TimeoutFailoverTests
{
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
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
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
