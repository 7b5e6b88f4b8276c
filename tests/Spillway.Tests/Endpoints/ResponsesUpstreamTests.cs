using System.Net;
using System.Text;
using System.Text.Json;
using Spillway.Core.Engine;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary>
/// An upstream that speaks the Responses API itself (<c>format: openai-responses</c>): a Responses client's request
/// passes through as it came (only the model rewritten) and its answer and events come back byte for byte; clients of
/// other formats are translated to and from it; a failure on it falls back, and a stream it breaks goes on elsewhere.
/// </summary>
public sealed class ResponsesUpstreamTests
{
    private const string Reply = "Answered by the Responses upstream, word by word.";

    private static StringContent ResponsesBody(bool stream = false, string extra = "") =>
        new($$"""{"model":"chain","input":[{"role":"user","content":[{"type":"input_text","text":"Say hello"}]}],"stream":{{(stream ? "true" : "false")}},"metadata":{"team":"a"}{{extra}}}""", Encoding.UTF8, "application/json");

    [Fact]
    public async Task ResponsesClient_PassThrough_TheBodyGoesUpWithOnlyTheModelChangedAndTheObjectComesBackAsIs()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.OpenAIResponses) { ReplyText = Reply }]);
        using var request = ResponsesBody(extra: ",\"include\":[\"reasoning.encrypted_content\"]");
        var sent = await request.ReadAsStringAsync();

        using var response = await gateway.Http.PostAsync("/v1/responses", request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(body);
        Assert.StartsWith("resp_sim", answer.RootElement.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(Reply, answer.RootElement.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        var upstream = Encoding.UTF8.GetString(gateway["up"].Calls[^1].Body);
        Assert.Equal(sent.Replace("\"chain\"", "\"gpt-4o-mini\"", StringComparison.Ordinal), upstream);
        Assert.Equal("/up/v1/responses", gateway["up"].Calls[^1].Path);
        var entry = (await gateway.LedgerAsync(1))[0];
        Assert.Equal("ok", entry.GetProperty("attempts")[0].GetProperty("outcome").GetString());
        Assert.True(entry.GetProperty("usage").GetProperty("output_tokens").GetInt32() > 0);
        Assert.False(entry.GetProperty("attempts")[0].TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String,
            "a pass-through is not a translation");
    }

    [Fact]
    public async Task ResponsesClient_StreamPassThrough_EveryEventAsTheUpstreamSentIt()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.OpenAIResponses) { ReplyText = Reply }]);

        using var response = await gateway.Http.PostAsync("/v1/responses", ResponsesBody(stream: true));
        var events = (await Sse.DataOfAsync(response)).Select(d => JsonDocument.Parse(d).RootElement).ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.GetProperty("sequence_number").GetInt32()));
        Assert.Equal("response.completed", events[^1].GetProperty("type").GetString());
        Assert.StartsWith("resp_sim", events[0].GetProperty("response").GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(Reply, string.Concat(events.Where(e => e.GetProperty("type").GetString() == "response.output_text.delta").Select(e => e.GetProperty("delta").GetString())));
        var entry = (await gateway.LedgerAsync(1))[0];
        Assert.Equal(200, entry.GetProperty("status").GetInt32());
        Assert.True(entry.GetProperty("usage").GetProperty("output_tokens").GetInt32() > 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatCompletionsClient_TranslatedToTheResponsesUpstream_GetsTheTextAndUsage(bool stream)
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.OpenAIResponses) { ReplyText = Reply }]);

        using var response = await gateway.ChatAsync("chain", stream, includeUsage: stream ? true : null, extra: ",\"max_tokens\":300");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string text;
        if (stream)
        {
            var chunks = (await Sse.DataOfAsync(response)).Where(d => d != "[DONE]").Select(d => JsonDocument.Parse(d).RootElement).ToList();
            text = string.Concat(chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0)
                .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
                .Where(d => d.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                .Select(d => d.GetProperty("content").GetString()));
            Assert.True(chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
        }
        else
        {
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            text = answer.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
            Assert.Equal("stop", answer.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        }

        Assert.Equal(Reply, text);
        using var upstream = JsonDocument.Parse(gateway["up"].Calls[^1].Body);
        var root = upstream.RootElement;
        Assert.Equal("gpt-4o-mini", root.GetProperty("model").GetString());
        Assert.Equal(300, root.GetProperty("max_output_tokens").GetInt32());
        Assert.False(root.GetProperty("store").GetBoolean());
        Assert.Equal("input_text", root.GetProperty("input")[0].GetProperty("content")[0].GetProperty("type").GetString());
        var entry = (await gateway.LedgerAsync(1))[0];
        Assert.StartsWith("translated openai→openairesponses", entry.GetProperty("attempts")[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletionsClient_ToolRoundTrip_TheCallComesBackAsToolCallsAndTheResultGoesUpAsFunctionCallOutput()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.OpenAIResponses) { ReplyText = Reply }]);
        const string Tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}]";

        using var first = await gateway.ChatAsync("chain", extra: Tools);
        using var called = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        var choice = called.RootElement.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var call = choice.GetProperty("message").GetProperty("tool_calls")[0];
        var callId = call.GetProperty("id").GetString()!;
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());

        var arguments = JsonSerializer.Serialize(call.GetProperty("function").GetProperty("arguments").GetString());
        var followUp = "{\"model\":\"chain\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
            + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"" + callId + "\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":" + arguments + "}}]},"
            + "{\"role\":\"tool\",\"tool_call_id\":\"" + callId + "\",\"content\":\"Sunny, 21 C\"}]" + Tools + "}";
        using var second = await gateway.Http.PostAsync("/v1/chat/completions", new StringContent(followUp, Encoding.UTF8, "application/json"));
        using var answer = JsonDocument.Parse(await second.Content.ReadAsStringAsync());

        Assert.Equal(Reply, answer.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        using var upstream = JsonDocument.Parse(gateway["up"].Calls[^1].Body);
        var input = upstream.RootElement.GetProperty("input").EnumerateArray().ToList();
        Assert.Equal(["message", "function_call", "function_call_output"], input.Select(i => i.GetProperty("type").GetString()));
        Assert.Equal(callId, input[2].GetProperty("call_id").GetString());
        Assert.Equal("Sunny, 21 C", input[2].GetProperty("output").GetString());
        Assert.Equal("get_weather", upstream.RootElement.GetProperty("tools")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task AnthropicClient_StreamFromTheResponsesUpstream_GetsTheMessageEvents()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.OpenAIResponses) { ReplyText = Reply }]);

        using var response = await gateway.MessagesAsync("chain", stream: true);
        var events = (await Sse.DataOfAsync(response)).Select(d => JsonDocument.Parse(d).RootElement).ToList();

        Assert.Equal("message_start", events[0].GetProperty("type").GetString());
        Assert.Equal("message_stop", events[^1].GetProperty("type").GetString());
        Assert.Equal(Reply, string.Concat(events.Where(e => e.GetProperty("type").GetString() == "content_block_delta")
            .Select(e => e.GetProperty("delta").GetProperty("text").GetString())));
        var stop = events.Single(e => e.GetProperty("type").GetString() == "message_delta");
        Assert.Equal("end_turn", stop.GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task FollowUpOnAResponsesUpstream_GetsTheStoredConversationInInputAndNoPreviousResponseId()
    {
        await using var gateway = await TestGateway.StartAsync(
        [
            new SimulatedProvider("chat", SimulatorStyle.OpenAI) { ReplyText = "First answer." },
            new SimulatedProvider("up", SimulatorStyle.OpenAIResponses) { ReplyText = Reply },
        ]);
        using var first = await gateway.Http.PostAsync("/v1/responses", new StringContent(
            """{"model":"chat/gpt-4o-mini","input":"First question."}""", Encoding.UTF8, "application/json"));
        using var stored = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        var id = stored.RootElement.GetProperty("id").GetString();

        using var second = await gateway.Http.PostAsync("/v1/responses", new StringContent(
            $$"""{"model":"up/gpt-4o-mini","previous_response_id":"{{id}}","input":"Second question."}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using var sent = JsonDocument.Parse(gateway["up"].Calls[^1].Body);
        Assert.False(sent.RootElement.TryGetProperty("previous_response_id", out _));
        var texts = sent.RootElement.GetProperty("input").EnumerateArray()
            .Select(i => i.GetProperty("content")[0].GetProperty("text").GetString()).ToList();
        Assert.Equal(["First question.", "First answer.", "Second question."], texts);
    }

    [Fact]
    public async Task RateLimitedResponsesUpstream_FallsBackToAChatCompletionsHost_ForAResponsesClient()
    {
        await using var gateway = await TestGateway.StartAsync(
        [
            new SimulatedProvider("first", SimulatorStyle.OpenAIResponses) { ReplyText = Reply },
            new SimulatedProvider("second", SimulatorStyle.Groq) { ReplyText = Reply },
        ]);
        gateway["first"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(30)));

        using var response = await gateway.Http.PostAsync("/v1/responses", ResponsesBody());
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Reply, answer.RootElement.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("first/gpt-4o-mini,second/llama-3.3-70b-versatile", response.Headers.GetValues(SpillwayHeaders.Tried).Single());
        var entry = (await gateway.LedgerAsync(1))[0];
        Assert.Equal(["rate_limited", "ok"], entry.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task PassThroughStreamCut_GoesOnFromTheBackupInTheSameStream_NumberingContinuesAndTheTextIsWhole()
    {
        await using var gateway = await TestGateway.StartAsync(
        [
            new SimulatedProvider("primary", SimulatorStyle.OpenAIResponses) { ReplyText = Reply },
            new SimulatedProvider("backup", SimulatorStyle.Anthropic) { ReplyText = Reply },
        ]);
        gateway["primary"].Enqueue(SimulatedFault.FailMidStream(3));

        using var response = await gateway.Http.PostAsync("/v1/responses", ResponsesBody(stream: true));
        var events = (await Sse.DataOfAsync(response)).Select(d => JsonDocument.Parse(d).RootElement).ToList();

        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.GetProperty("sequence_number").GetInt32()));
        Assert.Equal(Reply, string.Concat(events.Where(e => e.GetProperty("type").GetString() == "response.output_text.delta").Select(e => e.GetProperty("delta").GetString())));
        var completed = events[^1];
        Assert.Equal("response.completed", completed.GetProperty("type").GetString());
        var final = completed.GetProperty("response");
        Assert.Equal(events[0].GetProperty("response").GetProperty("id").GetString(), final.GetProperty("id").GetString());
        Assert.Equal(Reply, final.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        var entry = (await gateway.LedgerAsync(1))[0];
        Assert.Equal(["connection_failed", "ok"], entry.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task PassThroughInBandError_EndsTheStreamWithAnErrorEventNumberedAfterTheUpstreamsAndResponseFailed()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.OpenAIResponses) { ReplyText = Reply }]);
        gateway["up"].Enqueue(SimulatedFault.FailMidStream(2, MidStreamFailure.ErrorChunk));

        using var response = await gateway.Http.PostAsync("/v1/responses", ResponsesBody(stream: true));
        var events = (await Sse.DataOfAsync(response)).Select(d => JsonDocument.Parse(d).RootElement).ToList();

        var types = events.Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(["error", "response.failed"], types.TakeLast(2));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.GetProperty("sequence_number").GetInt32()));
        Assert.Equal("failed", events[^1].GetProperty("response").GetProperty("status").GetString());
        Assert.DoesNotContain("response.completed", types);
    }
}
