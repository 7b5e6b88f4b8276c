using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Codecs.Responses;
using Spillway.Core.Tests.Chat;

namespace Spillway.Core.Tests.Codecs.Responses;

public class ResponsesStreamEncoderTests
{
    private static async Task<List<(string Name, JsonNode Data)>> EncodeAsync(IEnumerable<ChatStreamEvent> events, bool complete = true)
    {
        var encoder = new ResponsesStreamEncoder(createdAt: 1_741_476_542);
        var output = new ArrayBufferWriter<byte>();
        foreach (var e in events)
        {
            encoder.Write(e, output);
        }

        if (complete)
        {
            encoder.Complete(output);
        }

        return (await SseEvents.ReadAsync(output.WrittenSpan.ToArray())).Select(e => (e.Name!, JsonNode.Parse(e.Data)!)).ToList();
    }

    private static void AssertNumberedFromZero(List<(string Name, JsonNode Data)> events)
    {
        Assert.Equal(Enumerable.Range(0, events.Count).Select(i => (long)i), events.Select(e => (long)e.Data["sequence_number"]!));
        Assert.All(events, e => Assert.Equal(e.Name, (string?)e.Data["type"]));
    }

    [Fact]
    public async Task Write_TextAnswer_DocumentedSequenceWithUsage()
    {
        var events = await EncodeAsync([
            new MessageStartEvent("chatcmpl-abc", "gpt-4.1"),
            new TextDeltaEvent(0, "Hel"),
            new TextDeltaEvent(0, "lo"),
            new TextDeltaEvent(0, "!"),
            new FinishEvent(new ChatFinish(FinishReason.Stop)),
            new UsageEvent(new TokenUsage(10, 3, CachedInputTokens: 4)),
        ]);

        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
            ],
            events.Select(e => e.Name));
        AssertNumberedFromZero(events);
        var created = events[0].Data["response"]!;
        Assert.Equal(("resp_abc", "in_progress", 0), ((string?)created["id"], (string?)created["status"], created["output"]!.AsArray().Count));
        var deltas = events.Where(e => e.Name == "response.output_text.delta").Select(e => e.Data).ToList();
        Assert.Equal("Hello!", string.Concat(deltas.Select(d => (string?)d["delta"])));
        Assert.All(deltas, d => Assert.Equal(("msg_abc_0", 0, 0), ((string?)d["item_id"], (int?)d["output_index"], (int?)d["content_index"])));
        Assert.Equal("Hello!", (string?)events[7].Data["text"]);
        var completed = events[^1].Data["response"]!;
        Assert.Equal("completed", (string?)completed["status"]);
        Assert.Equal("Hello!", (string?)completed["output"]![0]!["content"]![0]!["text"]);
        Assert.Equal((10L, 4L, 3L, 13L), (
            (long?)completed["usage"]!["input_tokens"], (long?)completed["usage"]!["input_tokens_details"]!["cached_tokens"],
            (long?)completed["usage"]!["output_tokens"], (long?)completed["usage"]!["total_tokens"]));
    }

    [Fact]
    public async Task Write_ToolCall_FunctionCallItemWithArgumentDeltas()
    {
        var events = await EncodeAsync([
            new MessageStartEvent("msg_01X", "claude"),
            new TextDeltaEvent(0, "Checking."),
            new PartStopEvent(0),
            new ToolCallStartEvent(1, "toolu_1", "get_weather"),
            new ToolCallArgumentsDeltaEvent(1, "{\"city\":"),
            new ToolCallArgumentsDeltaEvent(1, "\"Paris\"}"),
            new PartStopEvent(1),
            new FinishEvent(new ChatFinish(FinishReason.ToolCalls)),
            new UsageEvent(new TokenUsage(20, 9)),
        ]);

        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done", "response.completed",
            ],
            events.Select(e => e.Name));
        AssertNumberedFromZero(events);
        var added = events[8].Data;
        Assert.Equal((1, "function_call", "toolu_1", "get_weather", ""), (
            (int?)added["output_index"], (string?)added["item"]!["type"], (string?)added["item"]!["call_id"],
            (string?)added["item"]!["name"], (string?)added["item"]!["arguments"]));
        Assert.Equal("{\"city\":\"Paris\"}", (string?)events[11].Data["arguments"]);
        var output = events[^1].Data["response"]!["output"]!.AsArray();
        Assert.Equal(["message", "function_call"], output.Select(x => (string?)x!["type"]));
        Assert.Equal("{\"city\":\"Paris\"}", (string?)output[1]!["arguments"]);
        Assert.Equal(9L, (long?)events[^1].Data["response"]!["usage"]!["output_tokens"]);
    }

    [Fact]
    public async Task Write_Thinking_ReasoningItemWithSummaryDeltas()
    {
        var events = await EncodeAsync([
            new MessageStartEvent("x1", "m"),
            new ThinkingDeltaEvent(0, "Hmm"),
            new TextDeltaEvent(1, "Hi"),
            new FinishEvent(new ChatFinish(FinishReason.Stop)),
        ]);

        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added", "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_text.done", "response.reasoning_summary_part.done",
                "response.output_item.done", "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
            ],
            events.Select(e => e.Name));
        Assert.Equal("Hmm", (string?)events[^1].Data["response"]!["output"]![0]!["summary"]![0]!["text"]);
    }

    [Fact]
    public async Task Complete_LengthStop_ResponseIncomplete()
    {
        var events = await EncodeAsync([
            new MessageStartEvent("x1", "m"),
            new TextDeltaEvent(0, "Once"),
            new FinishEvent(new ChatFinish(FinishReason.Length)),
        ]);

        Assert.Equal("response.incomplete", events[^1].Name);
        Assert.Equal("max_output_tokens", (string?)events[^1].Data["response"]!["incomplete_details"]!["reason"]);
    }

    [Fact]
    public async Task Write_StreamError_ErrorEventThenFailedAndNothingElse()
    {
        var events = await EncodeAsync([
            new MessageStartEvent("x1", "m"),
            new TextDeltaEvent(0, "Par"),
            new StreamErrorEvent(new ChatError(502, ChatErrorKind.UpstreamFailed, "The upstream broke.")),
            new TextDeltaEvent(0, "is"),
        ]);

        Assert.Equal(
            ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
             "response.output_text.delta", "error", "response.failed"],
            events.Select(e => e.Name));
        AssertNumberedFromZero(events);
        var error = events[5].Data;
        Assert.Equal(("server_error", "The upstream broke."), ((string?)error["code"], (string?)error["message"]));
        var failed = events[6].Data["response"]!;
        Assert.Equal(("failed", "The upstream broke."), ((string?)failed["status"], (string?)failed["error"]!["message"]));
        Assert.Equal("Par", (string?)failed["output"]![0]!["content"]![0]!["text"]);
    }

    [Fact]
    public async Task ClientFormatWriteStreamError_NoEncoder_ErrorEventNumberedZero()
    {
        var output = new ArrayBufferWriter<byte>();

        ResponsesClientFormat.Instance.WriteStreamError(output, ChatError.InvalidRequest("Bad.", "input"));

        var e = Assert.Single(await SseEvents.ReadAsync(output.WrittenSpan.ToArray()));
        var data = JsonNode.Parse(e.Data)!;
        Assert.Equal(("error", "error", "input", 0L), (e.Name, (string?)data["type"], (string?)data["param"], (long?)data["sequence_number"]));
    }
}
