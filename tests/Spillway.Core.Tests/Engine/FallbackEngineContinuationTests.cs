using System.Net;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;
using static Spillway.Core.Tests.Engine.EngineHarness;

namespace Spillway.Core.Tests.Engine;

/// <summary>
/// A stream that breaks after the client had part of the answer goes on from the next route in the same stream
/// (failoverbench S08 stream cut, S09 stream stall, S14 prefill refused): the client's text must equal the
/// reference answer exactly, with no character lost or doubled, or end with the error naming the first break.
/// The reference is the recorded OpenAI answer (fixtures/openai-chat-stream-text.sse).
/// </summary>
public sealed class FallbackEngineContinuationTests
{
    private static readonly RouteStep A = Step(Provider("a"));

    /// <summary>The whole recorded answer's text.</summary>
    private static readonly string Reference = string.Concat(OpenAIStream().Select(ContentOf));

    /// <summary>The recorded role chunk and the first five text pieces: <c>{"city":"San Francisco</c>.</summary>
    private static readonly List<string> CutAfterFive = [.. OpenAIStream().Take(6)];

    private static readonly string SentBeforeCut = string.Concat(CutAfterFive.Select(ContentOf));

    [Fact]
    public async Task Stream_CutMidAnswer_ContinuesOnAPrefillRouteWithExactlyTheReferenceText()
    {
        using var harness = new EngineHarness();
        var b = Step(Provider("b", WireFormat.Anthropic));
        harness.Upstream.Enqueue("a", () => Answers.Stream(CutAfterFive));
        harness.Upstream.Enqueue("b", () => Answers.Stream(AnthropicTextStream(Reference[SentBeforeCut.Length..])));

        var response = await harness.ServeAsync(harness.Call(stream: true, A, b));

        Assert.Equal(Reference, OpenAIText(response));
        Assert.Equal("[DONE]", response.Data[^1]);
        Assert.DoesNotContain(response.Data, d => d.Contains("\"error\"", StringComparison.Ordinal));
        // One stream: one role chunk, and every chunk keeps the first answer's id and created.
        Assert.Single(response.Data, d => d.Contains("\"role\"", StringComparison.Ordinal));
        Assert.All(response.Data.Where(d => d != "[DONE]"), d =>
        {
            Assert.Contains("\"id\":\"chatcmpl-ABfw1e5abtU8OwGr15vOreYVb2MiF\"", d, StringComparison.Ordinal);
            Assert.Contains("\"created\":1727346169", d, StringComparison.Ordinal);
        });

        // The continuation was asked with the text sent as the assistant's last turn.
        using var sent = JsonDocument.Parse(harness.Upstream.Sent[^1].Body);
        var last = sent.RootElement.GetProperty("messages").EnumerateArray().Last();
        Assert.Equal("assistant", last.GetProperty("role").GetString());
        Assert.Contains(SentBeforeCut, last.GetProperty("content").GetRawText().Replace("\\u0022", "\"", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal), StringComparison.Ordinal);

        var entry = harness.Ledger[^1];
        Assert.Equal(["server_error", "ok"], harness.Outcomes());
        Assert.Equal($"continued on b/m after {SentBeforeCut.Length} chars (prefill)", entry.Attempts[1].Detail);
        Assert.Equal("b/m", entry.Route);
        Assert.Null(entry.Error);

        // Usage is summed: the first call's (estimated: it broke before reporting) and the continuation's.
        Assert.True(entry.Usage!.Value.InputTokens > 11, $"input {entry.Usage.Value.InputTokens}");
        Assert.True(entry.Usage.Value.OutputTokens > 6, $"output {entry.Usage.Value.OutputTokens}");
    }

    [Fact]
    public async Task Stream_StallMidAnswer_RegeneratesOnARouteWithoutPrefillAndSplicesExactly()
    {
        using var harness = new EngineHarness();
        harness.Timeouts = TimeoutsConfig.Default with { IdleStream = TimeSpan.FromSeconds(5) };
        var body = new ScriptedStream();
        foreach (var sseEvent in CutAfterFive)
        {
            body.WriteEvent(sseEvent);
        }

        harness.Upstream.Enqueue("a", () => Answers.StreamOver(body));
        var b = Step(Provider("b"));
        harness.Upstream.Enqueue("b", () => Answers.Stream(OpenAIStream()));

        var (served, response) = harness.Begin(harness.Call(stream: true, A, b));
        await body.Blocked;
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await served;

        Assert.Equal(Reference, OpenAIText(response));
        Assert.Equal("[DONE]", response.Data[^1]);
        Assert.Equal(["timeout", "ok"], harness.Outcomes());
        Assert.Contains("regenerated and spliced", harness.Ledger[^1].Attempts[1].Detail, StringComparison.Ordinal);
        // OpenAI answers a trailing assistant turn afresh: it is asked for the whole answer, without one.
        Assert.DoesNotContain("\"assistant\"", harness.Upstream.Sent[^1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_PrefillRefused_RegeneratesOnTheSameRouteAndSplices()
    {
        using var harness = new EngineHarness();
        var b = Step(Provider("b", WireFormat.Anthropic));
        harness.Upstream.Enqueue("a", () => Answers.Stream(CutAfterFive));
        harness.Upstream.Enqueue("b", () => Answers.Json(HttpStatusCode.BadRequest, PrefillRefusal));
        harness.Upstream.Enqueue("b", () => Answers.Stream(AnthropicTextStream(Reference)));

        var response = await harness.ServeAsync(harness.Call(stream: true, A, b));

        Assert.Equal(Reference, OpenAIText(response));
        Assert.Equal(["server_error", "caller_fault", "ok"], harness.Outcomes());
        Assert.Contains("prefill", harness.Ledger[^1].Attempts[1].Detail, StringComparison.Ordinal);
        Assert.Contains("regenerated and spliced", harness.Ledger[^1].Attempts[2].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_PrefillRefusedAndTheRegeneratedAnswerDiffers_EndsWithTheFirstBreakNeverTheRefusal()
    {
        using var harness = new EngineHarness();
        var b = Step(Provider("b", WireFormat.Anthropic));
        harness.Upstream.Enqueue("a", () => Answers.Stream(CutAfterFive));
        harness.Upstream.Enqueue("b", () => Answers.Json(HttpStatusCode.BadRequest, PrefillRefusal));
        harness.Upstream.Enqueue("b", () => Answers.Stream(AnthropicStream()));

        var response = await harness.ServeAsync(harness.Call(stream: true, A, b));

        // The client keeps what it had and learns of the real failure; nothing of the other answer reaches it.
        Assert.Equal(SentBeforeCut, OpenAIText(response));
        var error = response.Data[^1];
        Assert.StartsWith("{\"error\":", error, StringComparison.Ordinal);
        Assert.Contains("the answer above is incomplete", error, StringComparison.Ordinal);
        Assert.Contains("the stream ended before it finished", error, StringComparison.Ordinal);
        Assert.DoesNotContain("prefill", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("[DONE]", response.Data);
        Assert.Equal(["server_error", "caller_fault", Outcomes.ContinuationMismatch], harness.Outcomes());
    }

    [Fact]
    public async Task Stream_ToolCallPartlyStreamed_IsNeverContinued()
    {
        using var harness = new EngineHarness();
        var b = Step(Provider("b"));
        harness.Upstream.Enqueue("a", () => Answers.Stream(
        [
            """data: {"id":"chatcmpl-t","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}""",
            """data: {"id":"chatcmpl-t","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]},"finish_reason":null}]}""",
        ]));
        harness.Upstream.Default("b", () => Answers.Stream(OpenAIStream()));

        var response = await harness.ServeAsync(harness.Call(stream: true, A, b));

        Assert.Equal(0, harness.Upstream.CallsTo("b"));
        Assert.StartsWith("{\"error\":", response.Data[^1], StringComparison.Ordinal);
        Assert.Equal(["server_error"], harness.Outcomes());
    }

    [Fact]
    public async Task Stream_AnthropicClientCutMidBlock_ContinuesInTheSameBlockOfTheSameMessage()
    {
        using var harness = new EngineHarness();
        var a = Step(Provider("a", WireFormat.Anthropic));
        var b = Step(Provider("b"));

        // message_start, content_block_start, ping and "Hello": then the connection ends.
        harness.Upstream.Enqueue("a", () => Answers.Stream(AnthropicStream().Take(4)));
        harness.Upstream.Enqueue("b", () => Answers.Stream(OpenAITextStream("Hello", " there", "!")));

        var response = await harness.ServeAsync(harness.Call(AnthropicClientFormat.Instance, stream: true, null, a, b));

        var names = EventNames(response);
        Assert.Single(names, n => n == "message_start");
        Assert.Single(names, n => n == "content_block_start");
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], names[^3..]);
        Assert.Equal("Hello there!", AnthropicText(response));
        Assert.All(response.Data.Where(d => d.Contains("content_block", StringComparison.Ordinal)),
            d => Assert.Contains("\"index\":0", d, StringComparison.Ordinal));
        Assert.Contains("\"id\":\"msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK\"", response.Text, StringComparison.Ordinal);
        Assert.Equal(["server_error", "ok"], harness.Outcomes());
    }

    [Fact]
    public async Task Stream_PrefixFlagHost_GetsThePrefillMarkedAndTheTrailingSpaceIsNotDoubled()
    {
        using var harness = new EngineHarness();
        var b = Step(Provider("b", prefill: AssistantPrefill.PrefixFlag));

        // The cut falls right after a space: the prefill leaves it off, and the continuation brings it again.
        harness.Upstream.Enqueue("a", () => Answers.Stream(OpenAITextStream("The quick ", "brown ").SkipLast(3)));
        harness.Upstream.Enqueue("b", () => Answers.Stream(OpenAITextStream(" fox", " jumps.")));

        var response = await harness.ServeAsync(harness.Call(stream: true, A, b));

        Assert.Equal("The quick brown fox jumps.", OpenAIText(response));
        using var sent = JsonDocument.Parse(harness.Upstream.Sent[^1].Body);
        var last = sent.RootElement.GetProperty("messages").EnumerateArray().Last();
        Assert.Equal("assistant", last.GetProperty("role").GetString());
        Assert.Equal("The quick brown", last.GetProperty("content").GetString());
        Assert.True(last.GetProperty("prefix").GetBoolean());
    }

    [Fact]
    public async Task Stream_ContinuationBreaksToo_GoesOnFromTheNextRouteWithAllTheTextSoFar()
    {
        using var harness = new EngineHarness();
        var b = Step(Provider("b", WireFormat.Anthropic));
        var c = Step(Provider("c", WireFormat.Anthropic));
        harness.Upstream.Enqueue("a", () => Answers.Stream(OpenAITextStream("One ", "two ").SkipLast(3)));
        harness.Upstream.Enqueue("b", () => Answers.Stream(AnthropicTextStream("three ", "four ").Take(5)));
        harness.Upstream.Enqueue("c", () => Answers.Stream(AnthropicTextStream("five.")));

        var response = await harness.ServeAsync(harness.Call(stream: true, A, b, c));

        Assert.Equal("One two three four five.", OpenAIText(response));
        Assert.Equal(["server_error", "server_error", "ok"], harness.Outcomes());
        Assert.Contains("One two three four", harness.Upstream.Sent[^1].Body, StringComparison.Ordinal);
        Assert.Equal("[DONE]", response.Data[^1]);
    }

    [Fact]
    public async Task Stream_NoRouteLeft_EndsWithTheInBandErrorAsBefore()
    {
        using var harness = new EngineHarness();
        harness.Upstream.Enqueue("a", () => Answers.Stream(CutAfterFive));

        var response = await harness.ServeAsync(harness.Call(stream: true, A));

        Assert.Equal(SentBeforeCut, OpenAIText(response));
        Assert.Contains("the answer above is incomplete", response.Data[^1], StringComparison.Ordinal);
        Assert.StartsWith("The upstream stream failed after it had started", harness.Ledger[^1].Error, StringComparison.Ordinal);
    }

    private const string PrefillRefusal =
        """{"type":"error","error":{"type":"invalid_request_error","message":"This model does not support assistant message prefill. The conversation must end with a user message."}}""";

    /// <summary>The text of one recorded OpenAI chunk (empty for the role chunk, the finish and [DONE]).</summary>
    private static string ContentOf(string sseEvent)
    {
        var data = sseEvent["data: ".Length..];
        if (data == "[DONE]")
        {
            return "";
        }

        using var chunk = JsonDocument.Parse(data);
        var choices = chunk.RootElement.GetProperty("choices");
        return choices.GetArrayLength() > 0 && choices[0].GetProperty("delta").TryGetProperty("content", out var content)
            ? content.GetString() ?? ""
            : "";
    }

    /// <summary>The text an OpenAI client received.</summary>
    private static string OpenAIText(MemoryClientResponse response) =>
        string.Concat(response.Data.Where(d => d.StartsWith("{\"id\"", StringComparison.Ordinal)).Select(d => ContentOf("data: " + d)));

    /// <summary>The text an Anthropic client received (its text deltas).</summary>
    private static string AnthropicText(MemoryClientResponse response) => string.Concat(response.Data
        .Where(d => d.Contains("\"text_delta\"", StringComparison.Ordinal))
        .Select(d => JsonDocument.Parse(d).RootElement.GetProperty("delta").GetProperty("text").GetString()));

    private static string Quoted(string text) => "\"" + JsonEncodedText.Encode(text) + "\"";

    private static List<string> EventNames(MemoryClientResponse response) =>
        [.. response.Text.Split('\n').Where(l => l.StartsWith("event:", StringComparison.Ordinal)).Select(l => l[6..].Trim())];

    /// <summary>An OpenAI stream in the recorded answer's envelope with these text pieces: role chunk, pieces,
    /// finish, usage, [DONE] (the last three can be cut off with SkipLast(3)).</summary>
    private static List<string> OpenAITextStream(params string[] pieces)
    {
        var recorded = OpenAIStream();
        var role = recorded[0];
        var piece = recorded[2];
        return
        [
            role,
            .. pieces.Select(p => piece.Replace("\"content\":\"city\"", "\"content\":" + Quoted(p), StringComparison.Ordinal)),
            recorded[^3],
            recorded[^2],
            recorded[^1],
        ];
    }

    /// <summary>An Anthropic stream in the recorded answer's envelope with these text pieces: message_start,
    /// block start, ping, the pieces, block stop, message_delta, message_stop.</summary>
    private static List<string> AnthropicTextStream(params string[] pieces)
    {
        var recorded = AnthropicStream();
        var delta = recorded[3];
        return
        [
            recorded[0],
            recorded[1],
            recorded[2],
            .. pieces.Select(p => delta.Replace("\"text\":\"Hello\"", "\"text\":" + Quoted(p), StringComparison.Ordinal)),
            recorded[^3],
            recorded[^2],
            recorded[^1],
        ];
    }
}
