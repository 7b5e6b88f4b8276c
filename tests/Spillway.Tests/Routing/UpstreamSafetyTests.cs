using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Spillway.Core.Chat;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Core.Providers;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Routing;

/// <summary>
/// An upstream cannot make the gateway hold unbounded bytes, follow it elsewhere with a key, or show a client the key
/// it was sent: tested against misbehaving upstreams on a bare socket (<see cref="LoopbackUpstream"/>), chained before
/// a well-behaved simulator.
/// </summary>
public sealed class UpstreamSafetyTests
{
    private const string UpKey = "plainkeyvalue0123";
    private const int Cap = 64 * 1024;

    private static readonly EngineOptions SmallCaps = new() { MaxResponseBytes = Cap, MaxStreamEventBytes = Cap };

    [Fact]
    public async Task NonStreamedBodyOverTheCap_AttemptFailsAndTheNextRouteServes()
    {
        await using var up = new LoopbackUpstream((_, stream, token) => LoopbackUpstream.WriteEndlessAsync(
            stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"id\":\"", (byte)'a', token));
        await using var gateway = await StartAsync(up);

        using var served = await gateway.ChatAsync("chain");
        using var alone = await gateway.ChatAsync("up/gpt-4o-mini");

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("openai/gpt-4o-mini", Header(served, SpillwayHeaders.Route));
        var first = (await gateway.LedgerAsync())[1].GetProperty("attempts")[0];
        Assert.Equal("server_error", first.GetProperty("outcome").GetString());
        Assert.Contains($"larger than {Cap} bytes", first.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertCleanErrorAsync(alone, HttpStatusCode.BadGateway);
    }

    [Fact]
    public async Task StreamedEventOverTheCap_AttemptFailsAndTheNextRouteStreams()
    {
        await using var up = new LoopbackUpstream((_, stream, token) => LoopbackUpstream.WriteEndlessAsync(
            stream, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\ndata: {\"id\":\"", (byte)'a', token));
        await using var gateway = await StartAsync(up);

        using var served = await gateway.ChatAsync("chain", stream: true);
        var text = await served.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("openai/gpt-4o-mini", Header(served, SpillwayHeaders.Route));
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
        var first = (await gateway.LedgerAsync())[0].GetProperty("attempts")[0];
        Assert.Equal("connection_failed", first.GetProperty("outcome").GetString());
        Assert.Contains($"larger than the limit of {Cap} bytes", first.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task Redirect_NotFollowedTheKeyStaysAndTheNextRouteServes(int status)
    {
        await using var elsewhere = new LoopbackUpstream(LoopbackUpstream.Answer(200, "{}"));
        await using var up = new LoopbackUpstream(LoopbackUpstream.Answer(status, "", "text/plain", $"Location: {elsewhere.BaseUrl}/chat/completions"));
        await using var gateway = await StartAsync(up);

        using var served = await gateway.ChatAsync("chain");
        using var alone = await gateway.ChatAsync("up/gpt-4o-mini");

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("openai/gpt-4o-mini", Header(served, SpillwayHeaders.Route));
        Assert.Empty(elsewhere.Requests);
        Assert.All(up.Requests, r => Assert.Equal(UpKey, r.Key));
        var first = (await gateway.LedgerAsync())[1].GetProperty("attempts")[0];
        Assert.Equal(status, first.GetProperty("status").GetInt32());
        Assert.Equal("server_error", first.GetProperty("outcome").GetString());
        await AssertCleanErrorAsync(alone, HttpStatusCode.BadGateway);
    }

    [Theory]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(400, false)]
    [InlineData(400, true)]
    [InlineData(200, true)]
    public async Task ErrorEchoingTheKey_KeyNeverShownToTheClientLedgerAdminOrLogs(int status, bool stream)
    {
        // 200 + stream: the error comes as an event inside the stream.
        await using var up = new LoopbackUpstream((request, output, token) => status == 200
            ? LoopbackUpstream.WriteAsync(output, 200, Encoding.UTF8.GetBytes($"data: {EchoError(request)}\n\n"), "text/event-stream", [], token)
            : LoopbackUpstream.WriteAsync(output, status, Encoding.UTF8.GetBytes(EchoError(request)), "application/json", [], token));
        var logs = new CapturedLogs();
        await using var gateway = await StartAsync(up, logs);

        using var chained = await gateway.ChatAsync("chain", stream);
        using var alone = await gateway.ChatAsync("up/gpt-4o-mini", stream);
        using var again = await gateway.MessagesAsync("up/gpt-4o-mini", stream);
        var seen = new StringBuilder()
            .AppendLine(await chained.Content.ReadAsStringAsync())
            .AppendLine(await alone.Content.ReadAsStringAsync())
            .AppendLine(await again.Content.ReadAsStringAsync())
            .AppendLine((await gateway.LedgerAsync()).GetRawText())
            .AppendLine(await gateway.Http.GetStringAsync("/admin/keys"))
            .AppendLine(await gateway.Http.GetStringAsync("/admin/routes"))
            .AppendLine(logs.All)
            .ToString();

        Assert.NotEmpty(up.Requests);
        Assert.All(up.Requests, r => Assert.Equal(UpKey, r.Key));
        Assert.DoesNotContain(UpKey, seen, StringComparison.Ordinal);
        Assert.DoesNotContain(UpKey[..8], seen, StringComparison.Ordinal);
        Assert.Contains("Incorrect API key provided: [redacted]", seen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountTokensRefusalEchoingTheKey_RelayedWithoutIt()
    {
        await using var up = new LoopbackUpstream((request, output, token) => LoopbackUpstream.WriteAsync(
            output, 400, Encoding.UTF8.GetBytes("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"key " + request.Key + " may not count\"}}"), "application/json", [], token));
        await using var gateway = await StartAsync(up, format: WireFormat.Anthropic);
        var content = new StringContent("{\"model\":\"up/claude-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Encoding.UTF8, "application/json");

        using var response = await gateway.Http.PostAsync("/v1/messages/count_tokens", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(UpKey, text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(text);
        Assert.Equal("key [redacted] may not count", json.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task ClientHeadersAndModelName_NeverBecomeUpstreamHeadersOrPath()
    {
        const string Answer = """{"id":"msg_1","type":"message","role":"assistant","model":"x","content":[{"type":"text","text":"hi"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}""";
        await using var up = new LoopbackUpstream(LoopbackUpstream.Answer(200, Answer));
        await using var gateway = await StartAsync(up, format: WireFormat.Anthropic);
        var body = Encoding.UTF8.GetBytes("""{"model":"up/../../admin?x=1#y","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""");
        string[] headers =
        [
            "Content-Type: application/json",
            "anthropic-version: 2023-06-01",
            "anthropic-beta: a,b;c=d:e/f%0d%0aX-Injected-Encoded: 1",
            "x-spillway-max-tier: free\nX-Injected-Bare-LF: 1",
            "X-Injected-Own: 1",
        ];

        var response = await RawHttp.SendAsync(gateway.Address, RawHttp.Request("POST", "/v1/messages", headers, body));

        Assert.Equal(200, response.Status);
        var sent = Assert.Single(up.Requests, r => r.RequestLine.StartsWith("POST ", StringComparison.Ordinal));
        Assert.Equal("POST /v1/messages HTTP/1.1", sent.RequestLine);
        Assert.Equal(["a,b;c=d:e/f%0d%0aX-Injected-Encoded: 1"], sent.Values("anthropic-beta"));
        Assert.Equal(["2023-06-01"], sent.Values("anthropic-version"));
        Assert.Equal([UpKey], sent.Values("x-api-key"));
        Assert.DoesNotContain(sent.HeaderLines, line => line.StartsWith("X-Injected", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(sent.HeaderLines, line => line.StartsWith("x-spillway", StringComparison.OrdinalIgnoreCase));
        using var json = JsonDocument.Parse(sent.Body);
        Assert.Equal("../../admin?x=1#y", json.RootElement.GetProperty("model").GetString());
    }

    private static string EchoError(UpstreamRequest request) =>
        "{\"error\":{\"message\":\"Incorrect API key provided: " + request.Key +
        ". You can find your API key at https://platform.openai.com/account/api-keys.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}";

    private static Task<TestGateway> StartAsync(LoopbackUpstream up, CapturedLogs? logs = null, WireFormat format = WireFormat.OpenAI) =>
        TestGateway.StartAsync(
            [new SimulatedProvider("openai")],
            (_, config) => config with
            {
                Providers = [Provider(up, format), .. config.Providers],
                Models = [new ModelAliasConfig("chain", RoutingStrategy.Ordered, ["up/gpt-4o-mini", "openai/gpt-4o-mini"])],
            },
            engine: SmallCaps,
            logging: logs is null ? null : logging => logging.AddProvider(logs));

    private static ProviderConfig Provider(LoopbackUpstream up, WireFormat format) => new()
    {
        Id = "up",
        Format = format,
        Auth = format == WireFormat.Anthropic ? AuthStyle.XApiKey : AuthStyle.Bearer,
        BaseUrl = up.BaseUrl,
        Keys = [new KeyConfig("up-key", new Secret(UpKey), KeyTier.Free, KeyLimits.Unknown)],
        Models = ["gpt-4o-mini"],
    };

    private static async Task AssertCleanErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(text);
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("error").GetProperty("message").GetString()));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}
