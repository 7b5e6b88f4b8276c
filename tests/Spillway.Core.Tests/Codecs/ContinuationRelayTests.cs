using System.Buffers;
using System.Text;
using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Codecs.OpenAI;

namespace Spillway.Core.Tests.Codecs;

/// <summary>How a continuation's events join a client stream already begun: only what the client has not seen.</summary>
public sealed class ContinuationRelayTests
{
    private const string Head = """{"id":"chatcmpl-c","object":"chat.completion.chunk","created":7,"model":"m","choices":[{"index":0,"delta":""";

    [Fact]
    public void Regeneration_BeginningWithTheTextSent_WritesOnlyTheRest()
    {
        using var transcript = OpenAITranscript("Hello wor");
        var relay = new ContinuationRelay(new OpenAIUpstreamStreamDecoder(), Resumed(transcript), transcript, "Hello wor", mustMatch: true);
        var output = new ArrayBufferWriter<byte>();

        var first = Relay(relay, transcript, Chunk("""{"role":"assistant","content":"Hello"}"""), output);
        var second = Relay(relay, transcript, Chunk("""{"content":" world"}"""), output);

        Assert.False(first.IsContentBearing);
        Assert.True(second.IsContentBearing);
        Assert.Null(relay.Mismatch);
        var written = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.Contains("\"content\":\"ld\"", written, StringComparison.Ordinal);
        Assert.DoesNotContain("\"role\"", written, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"chatcmpl-orig\"", written, StringComparison.Ordinal);
        Assert.Equal("Hello world", transcript.Text);
    }

    [Fact]
    public void Regeneration_DifferingFromTheTextSent_IsAMismatchAndWritesNothing()
    {
        using var transcript = OpenAITranscript("Hello wor");
        var relay = new ContinuationRelay(new OpenAIUpstreamStreamDecoder(), Resumed(transcript), transcript, "Hello wor", mustMatch: true);
        var output = new ArrayBufferWriter<byte>();

        var facts = Relay(relay, transcript, Chunk("""{"content":"Hi there"}"""), output);

        Assert.Equal("the regenerated answer differs from the text already sent at character 2 of 9", facts.Mismatch);
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Regeneration_EndingBeforeTheTextSent_IsAMismatch()
    {
        using var transcript = OpenAITranscript("Hello wor");
        var relay = new ContinuationRelay(new OpenAIUpstreamStreamDecoder(), Resumed(transcript), transcript, "Hello wor", mustMatch: true);
        var output = new ArrayBufferWriter<byte>();

        Relay(relay, transcript, Chunk("""{"content":"Hello"}"""), output);
        var facts = Relay(relay, transcript, Head + """{},"finish_reason":"stop"}]}""", output);

        Assert.Equal("the regenerated answer ended after 5 of the 9 characters already sent", facts.Mismatch);
    }

    [Fact]
    public void Prefill_LeftOffWhitespaceComingAgain_IsSkippedOnce()
    {
        using var transcript = OpenAITranscript("Hello ");
        var relay = new ContinuationRelay(new OpenAIUpstreamStreamDecoder(), Resumed(transcript), transcript, " ", mustMatch: false);
        var output = new ArrayBufferWriter<byte>();

        Relay(relay, transcript, Chunk("""{"content":"  world"}"""), output);

        Assert.Equal("Hello  world", transcript.Text);
    }

    [Fact]
    public void AnthropicClient_TextGoesOnInTheOpenBlockAndUsageIsSummed()
    {
        using var transcript = new StreamTranscript { EarlierUsage = new TokenUsage(10, 4) };
        transcript.Add(new MessageStartEvent("msg_a", "claude") { Usage = new TokenUsage(10, 1) });
        transcript.Add(new TextDeltaEvent(0, "Hel"));
        var encoder = new AnthropicStreamEncoder();
        encoder.Resume(new StreamResumePoint(transcript.Start!, transcript.Parts, transcript.OpenPart));
        var relay = new ContinuationRelay(new OpenAIUpstreamStreamDecoder(), encoder, transcript, "", mustMatch: false);
        var output = new ArrayBufferWriter<byte>();

        Relay(relay, transcript, Chunk("""{"content":"lo"}"""), output);
        Relay(relay, transcript, Head + """{},"finish_reason":"stop"}]}""", output);
        Relay(relay, transcript, """{"id":"chatcmpl-c","object":"chat.completion.chunk","created":7,"model":"m","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13}}""", output);
        relay.Complete(output);

        var written = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.DoesNotContain("message_start", written, StringComparison.Ordinal);
        Assert.DoesNotContain("content_block_start", written, StringComparison.Ordinal);
        Assert.Contains("""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}""", written, StringComparison.Ordinal);
        Assert.Contains("""{"type":"content_block_stop","index":0}""", written, StringComparison.Ordinal);
        Assert.Contains("\"output_tokens\":5", written, StringComparison.Ordinal);
        Assert.Contains("\"input_tokens\":22", written, StringComparison.Ordinal);
    }

    private static string Chunk(string delta) => Head + delta + ""","finish_reason":null}]}""";

    private static UpstreamEvent Relay(ContinuationRelay relay, StreamTranscript transcript, string data, ArrayBufferWriter<byte> output)
    {
        var facts = relay.Inspect(null, Encoding.UTF8.GetBytes(data));
        relay.Record(transcript);
        relay.Write(output);
        return facts;
    }

    /// <summary>A transcript of an OpenAI answer that sent <paramref name="text"/> under id <c>chatcmpl-orig</c>.</summary>
    private static StreamTranscript OpenAITranscript(string text)
    {
        var transcript = new StreamTranscript();
        transcript.Add(new MessageStartEvent("chatcmpl-orig", "m"));
        transcript.Add(new TextDeltaEvent(0, text));
        return transcript;
    }

    private static OpenAIChatStreamEncoder Resumed(StreamTranscript transcript)
    {
        var encoder = new OpenAIChatStreamEncoder(7, includeUsage: false);
        encoder.Resume(new StreamResumePoint(transcript.Start!, transcript.Parts, transcript.OpenPart));
        return encoder;
    }
}
