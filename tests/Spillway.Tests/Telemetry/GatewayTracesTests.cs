using System.Net;
using System.Text;
using Spillway.Core.Configuration;
using Spillway.Simulator;
using Spillway.Tests.Support;
using Spillway.TestSupport.Otlp;

namespace Spillway.Tests.Telemetry;

/// <summary>
/// Spans exported over OTLP/HTTP to a receiver in the test, decoded with the official protobuf schema. Activity
/// sources are process-wide, so these run in the <see cref="TracingCollection"/>, and spans are picked by this test's
/// own trace id all the same.
/// </summary>
[Collection(TracingCollection.Name)]
public sealed class GatewayTracesTests
{
    private const string ClientKey = "sk-spill-trace-client-key-0123456789abcdef";
    private static readonly TimeSpan ExportWait = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Traces_AFallback_ContinueTheClientsTraceWithARequestSpanAndOneSpanPerUpstreamCall()
    {
        await using var receiver = await OtlpTraceReceiver.StartNewAsync();
        await using var gateway = await StartAsync("tr1", receiver, captureContent: false);
        gateway["tr1-free"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromMinutes(5)));
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        const string clientSpanId = "00f067aa0ba902b7";

        using (var request = Chat("tr1-chain", traceId, clientSpanId))
        using (var response = await gateway.Http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var spans = await receiver.WaitForSpansAsync(
            all => all.Count(s => s.TraceId == traceId && s.ScopeName == "Spillway") >= 3, ExportWait);
        var ours = spans.Where(s => s.TraceId == traceId).ToList();

        // The gateway's server span continues the client's context (the simulators, in this process, have their own
        // server spans further down the trace); the request span is its child.
        var server = Assert.Single(ours, s => s.Kind == "Server" && s.ParentSpanId == clientSpanId);
        Assert.Equal("POST /v1/chat/completions", server.Name);
        var chat = Assert.Single(ours, s => s.Name == "chat tr1-chain");
        Assert.Equal(server.SpanId, chat.ParentSpanId);
        Assert.Equal("chat", chat.Attributes["gen_ai.operation.name"]);
        Assert.Equal("tr1-chain", chat.Attributes["gen_ai.request.model"]);
        Assert.Equal("tr1-paid", chat.Attributes["gen_ai.provider.name"]);
        Assert.Equal("gpt-4o-mini", chat.Attributes["gen_ai.response.model"]);
        Assert.Equal("tr1-paid/gpt-4o-mini", chat.Attributes["spillway.route"]);
        Assert.True((long)chat.Attributes["gen_ai.usage.input_tokens"]! > 0);
        Assert.True((long)chat.Attributes["gen_ai.usage.output_tokens"]! > 0);
        Assert.True((double)chat.Attributes["spillway.cost_usd"]! > 0);
        Assert.Equal("trace-client", chat.Attributes["spillway.client_id"]);

        // One span per upstream call, children of the request span.
        var refused = Assert.Single(ours, s => s.Name == "chat llama-3.3-70b-versatile");
        Assert.Equal(chat.SpanId, refused.ParentSpanId);
        Assert.Equal("Client", refused.Kind);
        Assert.Equal("Error", refused.StatusCode);
        Assert.Equal("tr1-free", refused.Attributes["gen_ai.provider.name"]);
        Assert.Equal("tr1-free-key", refused.Attributes["spillway.key_id"]);
        Assert.Equal("rate_limited", refused.Attributes["spillway.attempt.outcome"]);
        Assert.Equal("rate_limited", refused.Attributes["error.type"]);
        Assert.Equal(429L, refused.Attributes["http.response.status_code"]);

        var served = Assert.Single(ours, s => s.Name == "chat gpt-4o-mini");
        Assert.Equal(chat.SpanId, served.ParentSpanId);
        Assert.Equal("chat", served.Attributes["gen_ai.operation.name"]);
        Assert.Equal("tr1-paid", served.Attributes["gen_ai.provider.name"]);
        Assert.Equal("gpt-4o-mini", served.Attributes["gen_ai.request.model"]);
        Assert.Equal("tr1-paid/gpt-4o-mini", served.Attributes["spillway.route"]);
        Assert.Equal("tr1-paid-key", served.Attributes["spillway.key_id"]);
        Assert.Equal("ok", served.Attributes["spillway.attempt.outcome"]);
        Assert.True((long)served.Attributes["gen_ai.usage.input_tokens"]! > 0);
        Assert.True((long)served.Attributes["gen_ai.usage.output_tokens"]! > 0);
        Assert.True((double)served.Attributes["spillway.cost_usd"]! > 0);

        // The upstream got the trace: its traceparent names this trace and a span under the call's span.
        var upstream = Assert.Single(gateway["tr1-paid"].Calls);
        Assert.NotNull(upstream.TraceParent);
        var parts = upstream.TraceParent!.Split('-');
        Assert.Equal(traceId, parts[1]);
        var named = Assert.Single(ours, s => s.SpanId == parts[2]);
        Assert.True(named.SpanId == served.SpanId || named.ParentSpanId == served.SpanId);

        // Nothing secret, no prompt text: content capture is off.
        Assert.False(receiver.AnyBodyContains(TestGateway.SecretOf("tr1-free")));
        Assert.False(receiver.AnyBodyContains(TestGateway.SecretOf("tr1-paid")));
        Assert.False(receiver.AnyBodyContains(ClientKey));
        Assert.False(receiver.AnyBodyContains("Say hello"));
        Assert.DoesNotContain(ours, s => s.Attributes.ContainsKey("gen_ai.input.messages"));
    }

    [Fact]
    public async Task Traces_AStreamedAnswer_CarryItsFinishReason()
    {
        await using var receiver = await OtlpTraceReceiver.StartNewAsync();
        await using var gateway = await StartAsync("tr2", receiver, captureContent: false);
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

        using (var request = Chat("tr2-chain", traceId, "00f067aa0ba902b7", stream: true))
        using (var response = await gateway.Http.SendAsync(request))
        {
            await response.Content.ReadAsStringAsync();
        }

        var spans = await receiver.WaitForSpansAsync(all => all.Any(s => s.TraceId == traceId && s.Name == "chat tr2-chain"), ExportWait);

        var call = Assert.Single(spans, s => s.TraceId == traceId && s.Name == "chat llama-3.3-70b-versatile");
        Assert.Equal(new[] { "stop" }, call.Attributes["gen_ai.response.finish_reasons"]);
        var chat = Assert.Single(spans, s => s.TraceId == traceId && s.Name == "chat tr2-chain");
        Assert.Equal(new[] { "stop" }, chat.Attributes["gen_ai.response.finish_reasons"]);
    }

    [Fact]
    public async Task Traces_WithCaptureContent_CarryThePromptAndTheAnswer()
    {
        await using var receiver = await OtlpTraceReceiver.StartNewAsync();
        await using var gateway = await StartAsync("tr3", receiver, captureContent: true);
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

        using (var request = Chat("tr3-chain", traceId, "00f067aa0ba902b7"))
        using (var response = await gateway.Http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var spans = await receiver.WaitForSpansAsync(all => all.Any(s => s.TraceId == traceId && s.Name == "chat tr3-chain"), ExportWait);

        var chat = Assert.Single(spans, s => s.TraceId == traceId && s.Name == "chat tr3-chain");
        Assert.Contains("Say hello", (string)chat.Attributes["gen_ai.input.messages"]!, StringComparison.Ordinal);
        var call = Assert.Single(spans, s => s.TraceId == traceId && s.Name == "chat llama-3.3-70b-versatile");
        Assert.Contains("chat.completion", (string)call.Attributes["gen_ai.output.messages"]!, StringComparison.Ordinal);
        Assert.False(receiver.AnyBodyContains(ClientKey));
    }

    [Fact]
    public async Task Traces_AGeminiClientsKeyInTheQuery_NeverReachesASpan()
    {
        await using var receiver = await OtlpTraceReceiver.StartNewAsync();
        await using var gateway = await StartAsync("tr4", receiver, captureContent: false);
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1beta/models/tr4-chain:generateContent?key={ClientKey}")
        {
            Content = new StringContent("""{"contents":[{"role":"user","parts":[{"text":"Say hello"}]}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        using (var response = await gateway.Http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await receiver.WaitForSpansAsync(all => all.Any(s => s.TraceId == traceId && s.Name == "chat tr4-chain"), ExportWait);

        Assert.False(receiver.AnyBodyContains(ClientKey));
    }

    /// <summary>A free Groq-style provider then a paid, priced OpenAI-style one under <c>{prefix}-chain</c>; one client
    /// key; spans to <paramref name="receiver"/>.</summary>
    private static Task<TestGateway> StartAsync(string prefix, OtlpTraceReceiver receiver, bool captureContent) =>
        TestGateway.StartAsync(
            [new SimulatedProvider(prefix + "-free", SimulatorStyle.Groq), new SimulatedProvider(prefix + "-paid")],
            (_, config) => config with
            {
                Models = [new ModelAliasConfig(prefix + "-chain", RoutingStrategy.Ordered, [.. config.Models[0].Route])],
                Pricing = [new PriceOverride(prefix + "-paid/gpt-4o-mini", 0.15m, 0.60m)],
                Auth = new AuthConfig { Clients = [new ClientKeyConfig("trace-client", ClientKeyHash.Of(ClientKey))] },
                Telemetry = new TelemetryConfig(MetricsPublic: false, receiver.Endpoint, captureContent),
            });

    private static HttpRequestMessage Chat(string model, string traceId, string parentSpanId, bool stream = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = TestGateway.ChatBody(model, stream) };
        request.Headers.Authorization = new("Bearer", ClientKey);
        request.Headers.Add("traceparent", $"00-{traceId}-{parentSpanId}-01");
        return request;
    }
}
