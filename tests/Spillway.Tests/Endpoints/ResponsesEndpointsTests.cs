using System.Net;
using System.Text;
using System.Text.Json;
using Spillway.Core.Engine;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary>
/// <c>POST /v1/responses</c> on a live gateway: a Responses client's request reaches an upstream of any format through
/// an alias, with the same fallback and ledger, and gets the response object or the documented event stream back.
/// </summary>
public sealed class ResponsesEndpointsTests
{
    private const string Reply = "Answered through the Responses door.";

    private static StringContent Body(bool stream = false, string extra = "") =>
        new($$"""{"model":"chain","input":"Say hello","stream":{{(stream ? "true" : "false")}}{{extra}}}""", Encoding.UTF8, "application/json");

    [Theory]
    [InlineData(SimulatorStyle.OpenAI)]
    [InlineData(SimulatorStyle.Anthropic)]
    [InlineData(SimulatorStyle.GeminiNative)]
    public async Task Create_AnyUpstream_AnswersWithTheResponseObjectTheRouteAndALedgerRow(SimulatorStyle style)
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", style) { ReplyText = Reply }]);

        using var response = await gateway.Http.PostAsync("/v1/responses", Body(extra: ",\"instructions\":\"Be brief.\",\"max_output_tokens\":200"));
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = answer.RootElement;
        Assert.StartsWith("resp_", root.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("response", root.GetProperty("object").GetString());
        Assert.Equal("completed", root.GetProperty("status").GetString());
        var message = root.GetProperty("output").EnumerateArray().Single(i => i.GetProperty("type").GetString() == "message");
        Assert.Equal(Reply, message.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.True(root.GetProperty("usage").GetProperty("input_tokens").GetInt32() > 0);
        Assert.Equal("up/" + TestGateway.DefaultModel(style), response.Headers.GetValues(SpillwayHeaders.Route).Single());
        var entry = (await gateway.LedgerAsync(1))[0];
        Assert.Equal("openai-responses", entry.GetProperty("client_format").GetString());
        // The instructions went up as the system prompt.
        Assert.Contains("Be brief.", Encoding.UTF8.GetString(gateway["up"].Calls[^1].Body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SimulatorStyle.OpenAI)]
    [InlineData(SimulatorStyle.Anthropic)]
    public async Task Stream_TheDocumentedEventSequenceNumberedFromZero_TextIsTheAnswer(SimulatorStyle style)
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", style) { ReplyText = Reply }]);

        using var response = await gateway.Http.PostAsync("/v1/responses", Body(stream: true));
        var events = (await Sse.DataOfAsync(response)).Select(d => JsonDocument.Parse(d).RootElement).ToList();

        var types = events.Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"], types.Take(4));
        Assert.Equal(["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"], types.TakeLast(4));
        Assert.All(types.Skip(4).SkipLast(4), t => Assert.Equal("response.output_text.delta", t));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.GetProperty("sequence_number").GetInt32()));
        Assert.Equal(Reply, string.Concat(events.Where(e => e.GetProperty("type").GetString() == "response.output_text.delta").Select(e => e.GetProperty("delta").GetString())));
        Assert.True(events[^1].GetProperty("response").GetProperty("usage").GetProperty("output_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task WebSocketUpgrade_Refused426InOpenAIsErrorShape_PlainGetTold405()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up") { ReplyText = Reply }]);

        // What Codex sends first: 426 makes it fall back to POST at once.
        using var upgrade = new HttpRequestMessage(HttpMethod.Get, "/v1/responses");
        upgrade.Headers.Connection.Add("Upgrade");
        upgrade.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        upgrade.Headers.Add("Sec-WebSocket-Version", "13");
        upgrade.Headers.Add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        upgrade.Headers.Add("openai-beta", "responses_websockets=2026-02-06");
        using var refused = await gateway.Http.SendAsync(upgrade);
        using var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.UpgradeRequired, refused.StatusCode);
        Assert.Equal("websocket_not_supported", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("POST /v1/responses", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        using var plain = await gateway.Http.GetAsync("/v1/responses");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, plain.StatusCode);
        Assert.Empty(gateway["up"].Calls);
    }

    [Fact]
    public async Task FunctionCallRoundTrip_TheCallComesAsAnItemAndItsOutputGoesUpAsAToolResult()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.Anthropic)
        {
            ReplyText = Reply,
            ToolCall = new SimulatedToolCall("get_weather", """{"city":"Paris"}"""),
        }]);
        const string Tools = ",\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}]";

        using var first = await gateway.Http.PostAsync("/v1/responses", Body(extra: Tools));
        using var call = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        var item = call.RootElement.GetProperty("output").EnumerateArray().Single(i => i.GetProperty("type").GetString() == "function_call");
        var callId = item.GetProperty("call_id").GetString()!;
        Assert.Equal("get_weather", item.GetProperty("name").GetString());
        Assert.Equal("Paris", JsonDocument.Parse(item.GetProperty("arguments").GetString()!).RootElement.GetProperty("city").GetString());

        var followUp = $$"""
            {"model":"chain","tools":{{Tools[9..]}},"input":[
              {"role":"user","content":"Weather in Paris?"},
              {"type":"function_call","call_id":"{{callId}}","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
              {"type":"function_call_output","call_id":"{{callId}}","output":"Sunny, 21 degrees"}]}
            """;
        using var second = await gateway.Http.PostAsync("/v1/responses", new StringContent(followUp, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var upstreamBody = Encoding.UTF8.GetString(gateway["up"].Calls[^1].Body);
        Assert.Contains("\"tool_result\"", upstreamBody, StringComparison.Ordinal);
        Assert.Contains("Sunny, 21 degrees", upstreamBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstRouteRateLimited_TheNextServes()
    {
        await using var gateway = await TestGateway.StartAsync(
        [
            new SimulatedProvider("groq", SimulatorStyle.Groq) { ReplyText = Reply },
            new SimulatedProvider("claude", SimulatorStyle.Anthropic) { ReplyText = Reply },
        ]);
        gateway["groq"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(30)));

        using var response = await gateway.Http.PostAsync("/v1/responses", Body(stream: true));
        var events = await Sse.DataOfAsync(response);

        Assert.Equal("claude/claude-haiku-4-5", response.Headers.GetValues(SpillwayHeaders.Route).Single());
        Assert.Contains("\"type\":\"response.completed\"", events[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamBreaksAndNothingCanGoOn_EndsWithAnErrorEventAndResponseFailed()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up") { ReplyText = Reply }]);
        gateway["up"].Enqueue(SimulatedFault.FailMidStream(2));

        using var response = await gateway.Http.PostAsync("/v1/responses", Body(stream: true));
        var events = (await Sse.DataOfAsync(response)).Select(d => JsonDocument.Parse(d).RootElement).ToList();

        Assert.Equal(["error", "response.failed"], events.TakeLast(2).Select(e => e.GetProperty("type").GetString()));
        Assert.Contains("incomplete", events[^2].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.GetProperty("sequence_number").GetInt32()));
        Assert.DoesNotContain(events, e => e.GetProperty("type").GetString() == "response.completed");
    }

    [Fact]
    public async Task StreamCutMidAnswer_GoesOnFromTheBackupInTheSameNumberedStream()
    {
        const string Long = "The quick brown fox jumps over the lazy dog, and then the dog chases the fox back home.";
        await using var gateway = await TestGateway.StartAsync(
        [
            new SimulatedProvider("primary") { ReplyText = Long },
            new SimulatedProvider("backup", SimulatorStyle.Anthropic) { ReplyText = Long },
        ]);
        gateway["primary"].Enqueue(SimulatedFault.FailMidStream(4));

        using var response = await gateway.Http.PostAsync("/v1/responses", Body(stream: true));
        var events = (await Sse.DataOfAsync(response)).Select(d => JsonDocument.Parse(d).RootElement).ToList();

        var types = events.Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(1, types.Count(t => t == "response.created"));
        Assert.Equal("response.completed", types[^1]);
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.GetProperty("sequence_number").GetInt32()));
        Assert.Equal(Long, string.Concat(events.Where(e => e.GetProperty("type").GetString() == "response.output_text.delta").Select(e => e.GetProperty("delta").GetString())));
        var done = events.Single(e => e.GetProperty("type").GetString() == "response.output_text.done");
        Assert.Equal(Long, done.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("{\"model\":\"chain\",\"input\":", 400, null)]
    [InlineData("{\"model\":\"chain\",\"input\":42}", 400, "input")]
    [InlineData("{\"model\":\"chain\",\"input\":\"Hi\",\"temperature\":9}", 400, "temperature")]
    [InlineData("{\"model\":\"chain\",\"input\":\"Hi\",\"previous_response_id\":\"resp_123\"}", 400, "previous_response_id")]
    [InlineData("{\"model\":\"chain\",\"input\":\"Hi\",\"tools\":[{\"type\":\"web_search\"}],\"tool_choice\":\"required\"}", 400, "tool_choice")]
    [InlineData("{\"model\":\"no-such-alias\",\"input\":\"Hi\"}", 404, "model")]
    public async Task BadRequests_AreRefusedInOpenAIsErrorShapeWithoutAnUpstreamCall(string body, int status, string? param)
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up") { ReplyText = Reply }]);

        using var response = await gateway.Http.PostAsync("/v1/responses", new StringContent(body, Encoding.UTF8, "application/json"));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(status, (int)response.StatusCode);
        var details = error.RootElement.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(details.GetProperty("message").GetString()));
        Assert.Equal(param, details.GetProperty("param").ValueKind == JsonValueKind.Null ? null : details.GetProperty("param").GetString());
        Assert.Equal(0, gateway["up"].CallCount);
    }
}
