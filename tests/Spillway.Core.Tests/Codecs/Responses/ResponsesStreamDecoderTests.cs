using System.Text;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Responses;

namespace Spillway.Core.Tests.Codecs.Responses;

public class ResponsesStreamDecoderTests
{
    private static List<ChatStreamEvent> Decode(ResponsesStreamDecoder decoder, params string[] events)
    {
        var decoded = new List<ChatStreamEvent>();
        foreach (var data in events)
        {
            Assert.True(decoder.Decode(null, Encoding.UTF8.GetBytes(data), decoded));
        }

        return decoded;
    }

    [Fact]
    public void Decode_TextAnswer_StartDeltasStopFinishAndUsage()
    {
        var decoder = new ResponsesStreamDecoder();
        var events = Decode(
            decoder,
            """{"type":"response.created","response":{"id":"resp_1","model":"gpt-4.1","status":"in_progress","output":[]},"sequence_number":0}""",
            """{"type":"response.in_progress","response":{"id":"resp_1"},"sequence_number":1}""",
            """{"type":"response.output_item.added","output_index":0,"item":{"type":"message","id":"msg_1","role":"assistant","content":[]},"sequence_number":2}""",
            """{"type":"response.content_part.added","item_id":"msg_1","output_index":0,"content_index":0,"part":{"type":"output_text","text":""},"sequence_number":3}""",
            """{"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hel","sequence_number":4}""",
            """{"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"lo","sequence_number":5}""",
            """{"type":"response.output_text.done","item_id":"msg_1","output_index":0,"content_index":0,"text":"Hello","sequence_number":6}""",
            """{"type":"response.output_item.done","output_index":0,"item":{"type":"message","id":"msg_1"},"sequence_number":7}""",
            """{"type":"response.completed","response":{"id":"resp_1","status":"completed","usage":{"input_tokens":12,"input_tokens_details":{"cached_tokens":4},"output_tokens":7,"output_tokens_details":{"reasoning_tokens":2}}},"sequence_number":8}""");

        Assert.Equal(
            [
                new MessageStartEvent("resp_1", "gpt-4.1"),
                new TextDeltaEvent(0, ""),
                new TextDeltaEvent(0, "Hel"),
                new TextDeltaEvent(0, "lo"),
                new PartStopEvent(0),
                new FinishEvent(new ChatFinish(FinishReason.Stop, "completed", WireFormat.OpenAIResponses)),
                new UsageEvent(new TokenUsage(12, 7, CachedInputTokens: 4, ReasoningTokens: 2)),
            ],
            events);
        Assert.Equal(8, decoder.Sequence);
        Assert.False(decoder.IsComplete, "the closing event is read like any other: its usage counts");
        var item = Assert.Single(decoder.Items());
        Assert.Equal(("msg_1", "Hello"), (item.Id, item.Text));
    }

    [Fact]
    public void Decode_FunctionCall_StartWithCallIdArgumentDeltasAndToolCallsFinish()
    {
        var events = Decode(
            new ResponsesStreamDecoder(),
            """{"type":"response.output_item.added","output_index":0,"item":{"type":"function_call","id":"fc_1","call_id":"call_9","name":"get_weather","arguments":""}}""",
            """{"type":"response.function_call_arguments.delta","item_id":"fc_1","output_index":0,"delta":"{\"city\":"}""",
            """{"type":"response.function_call_arguments.delta","item_id":"fc_1","output_index":0,"delta":"\"Paris\"}"}""",
            """{"type":"response.output_item.done","output_index":0,"item":{"type":"function_call","arguments":"{\"city\":\"Paris\"}"}}""",
            """{"type":"response.completed","response":{"status":"completed"}}""");

        Assert.Equal(
            [
                new ToolCallStartEvent(0, "call_9", "get_weather"),
                new ToolCallArgumentsDeltaEvent(0, "{\"city\":"),
                new ToolCallArgumentsDeltaEvent(0, "\"Paris\"}"),
                new PartStopEvent(0),
                new FinishEvent(new ChatFinish(FinishReason.ToolCalls, "completed", WireFormat.OpenAIResponses)),
            ],
            events);
    }

    [Fact]
    public void Decode_ArgumentsOnlyInTheClosingItem_AreStillDelivered()
    {
        var events = Decode(
            new ResponsesStreamDecoder(),
            """{"type":"response.output_item.added","output_index":0,"item":{"type":"function_call","id":"fc_1","call_id":"call_9","name":"f"}}""",
            """{"type":"response.output_item.done","output_index":0,"item":{"type":"function_call","arguments":"{}"}}""");

        Assert.Equal([new ToolCallStartEvent(0, "call_9", "f"), new ToolCallArgumentsDeltaEvent(0, "{}"), new PartStopEvent(0)], events);
    }

    [Fact]
    public void Decode_IncompleteForTheOutputCap_IsALengthFinish()
    {
        var events = Decode(
            new ResponsesStreamDecoder(),
            """{"type":"response.incomplete","response":{"status":"incomplete","incomplete_details":{"reason":"max_output_tokens"}}}""");

        Assert.Equal(FinishReason.Length, Assert.IsType<FinishEvent>(Assert.Single(events)).Finish.Reason);
    }

    [Theory]
    [InlineData("""{"type":"error","code":"rate_limit_exceeded","message":"Slow down","param":null}""", 429, "Slow down")]
    [InlineData("""{"type":"response.failed","response":{"status":"failed","error":{"code":"server_error","message":"Boom"}}}""", 500, "Boom")]
    public void Decode_ErrorEventOrFailedResponse_IsAStreamErrorWithTheStatusItsCodeStandsFor(string data, int status, string message)
    {
        var error = Assert.IsType<StreamErrorEvent>(Assert.Single(Decode(new ResponsesStreamDecoder(), data))).Error;

        Assert.Equal((status, message), (error.Status, error.Message));
    }

    [Fact]
    public void Decode_BuiltInToolItemsAndUnknownEvents_AreSkippedAndMalformedJsonIsRefused()
    {
        var decoder = new ResponsesStreamDecoder();
        var events = Decode(
            decoder,
            """{"type":"response.output_item.added","output_index":0,"item":{"type":"web_search_call","id":"ws_1"}}""",
            """{"type":"response.web_search_call.searching","output_index":0}""");

        Assert.Empty(events);
        Assert.False(decoder.Decode(null, "{\"type\":"u8, events));
    }
}
