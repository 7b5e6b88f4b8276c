using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Spillway.Hosting;
using Spillway.Simulator;
using Spillway.Tests.Endpoints;
using Spillway.Tests.Support;

namespace Spillway.Tests.Hosting;

/// <summary>
/// Slow-loris clients against a live gateway with short limits (1 s for headers, 100 B/s for bodies after a 1.5 s
/// grace, 2 s keep-alive): each is cut off within a few seconds, and the gateway serves others meanwhile.
/// </summary>
public sealed class SlowClientTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly ServerLimits ShortLimits = new()
    {
        RequestHeadersTimeout = TimeSpan.FromSeconds(1),
        KeepAliveTimeout = TimeSpan.FromSeconds(2),
        MinRequestBodyBytesPerSecond = 100,
        MinDataRateGracePeriod = TimeSpan.FromSeconds(1.5),
    };

    // Kestrel checks its timeouts once a second; a cut-off may come up to a couple of seconds after the limit.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task HeadersSentByteByByte_CutOffAfterTheHeadersTimeout_OthersServedMeanwhile()
    {
        await using var gateway = await StartAsync();
        using var tcp = await ConnectAsync(gateway);
        var stream = tcp.GetStream();
        await stream.WriteAsync("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"u8.ToArray());
        var watch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(Bound + TimeSpan.FromSeconds(5));
        var answer = RawHttp.ReadResponseAsync(stream, stop.Token);
        var trickle = TrickleAsync(stream, "x-slow: " + new string('a', 1000), TimeSpan.FromMilliseconds(100), answer);

        await AssertServesAsync(gateway);
        var response = await answer;
        await trickle;

        output.WriteLine($"| headers trickled | {response.Status} after {watch.Elapsed.TotalSeconds:0.0} s |");
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, Bound);
        Assert.Contains(response.Status, new[] { 0, 408 });
        await AssertServesAsync(gateway);
    }

    [Fact]
    public async Task BodySentByteByByte_408InTheCallersFormat_OthersServedMeanwhile()
    {
        await using var gateway = await StartAsync();
        using var tcp = await ConnectAsync(gateway);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nanthropic-version: 2023-06-01\r\nContent-Length: 5000\r\n\r\n"));
        var watch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(Bound + TimeSpan.FromSeconds(5));
        var answer = RawHttp.ReadResponseAsync(stream, stop.Token);
        var trickle = TrickleAsync(stream, BadInputCorpus.GoodMessages, TimeSpan.FromMilliseconds(200), answer);

        await AssertServesAsync(gateway);
        var response = await answer;
        await trickle;

        output.WriteLine($"| body trickled | {response.Status} after {watch.Elapsed.TotalSeconds:0.0} s | {response.Text} |");
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, Bound);
        Assert.Equal(408, response.Status);
        using var json = JsonDocument.Parse(response.Body);
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("error").GetProperty("message").GetString()));
        await AssertServesAsync(gateway);
    }

    [Fact]
    public async Task ConnectionThatSendsNothing_ClosedAfterTheKeepAliveTimeout()
    {
        await using var gateway = await StartAsync();
        using var tcp = await ConnectAsync(gateway);
        var watch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(Bound + TimeSpan.FromSeconds(5));

        var read = await tcp.GetStream().ReadAsync(new byte[16], stop.Token);

        output.WriteLine($"| idle connection | closed ({read} bytes) after {watch.Elapsed.TotalSeconds:0.0} s |");
        Assert.Equal(0, read);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, Bound);
        await AssertServesAsync(gateway);
    }

    [Fact]
    public async Task BodyShorterThanItsContentLengthThenHalfClosed_AnsweredWithoutWaiting()
    {
        await using var gateway = await StartAsync();
        using var tcp = await ConnectAsync(gateway);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"model\":\"chain\""));
        tcp.Client.Shutdown(SocketShutdown.Send);
        var watch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(Bound + TimeSpan.FromSeconds(5));

        var response = await RawHttp.ReadResponseAsync(stream, stop.Token);

        output.WriteLine($"| body cut short | {response.Status} after {watch.Elapsed.TotalSeconds:0.0} s | {response.Text} |");
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, Bound);
        Assert.NotEqual(500, response.Status);
        if (response.Status != 0)
        {
            Assert.Equal(400, response.Status);
            using var json = JsonDocument.Parse(response.Body);
            Assert.Equal("invalid_request_body", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        await AssertServesAsync(gateway);
    }

    [Fact]
    public async Task ManySlowClientsAtOnce_OthersStillServed()
    {
        await using var gateway = await StartAsync();
        var slow = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 50; i++)
            {
                var tcp = await ConnectAsync(gateway);
                slow.Add(tcp);
                await tcp.GetStream().WriteAsync("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nx-slow: a"u8.ToArray());
            }

            await AssertServesAsync(gateway);
        }
        finally
        {
            slow.ForEach(tcp => tcp.Dispose());
        }
    }

    private static Task<TestGateway> StartAsync() =>
        TestGateway.StartAsync([new SimulatedProvider("openai")], host: options => options with { Limits = ShortLimits });

    private static async Task<TcpClient> ConnectAsync(TestGateway gateway)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, gateway.Address.Port);
        return tcp;
    }

    /// <summary>Writes <paramref name="text"/> one byte per <paramref name="pause"/> until the server answers or closes.</summary>
    private static async Task TrickleAsync(NetworkStream stream, string text, TimeSpan pause, Task answered)
    {
        try
        {
            foreach (var b in Encoding.ASCII.GetBytes(text))
            {
                if (answered.IsCompleted)
                {
                    return;
                }

                await stream.WriteAsync(new[] { b });
                await Task.Delay(pause);
            }
        }
        catch (IOException)
        {
            // The server closed the connection: what this test waits for.
        }
    }

    private static async Task AssertServesAsync(TestGateway gateway)
    {
        using var response = await gateway.ChatAsync("chain");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
