using System.Text;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Gemini;
using Spillway.Core.Streaming;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Codecs.Gemini;

public class GeminiStreamDecoderTests
{
    internal static async Task<List<ChatStreamEvent>> DecodeAllAsync(byte[] sse)
    {
        var decoder = new GeminiStreamDecoder();
        var events = new List<ChatStreamEvent>();
        await using (var reader = new SseReader(new MemoryStream(sse)))
        {
            while (await reader.ReadNextAsync())
            {
                events.AddRange(decoder.Decode(reader.Data.Span));
            }
        }

        events.AddRange(decoder.Complete());
        return events;
    }

    internal static List<ChatStreamEvent> DecodeChunks(params string[] chunks)
    {
        var decoder = new GeminiStreamDecoder();
        var events = new List<ChatStreamEvent>();
        foreach (var chunk in chunks)
        {
            events.AddRange(decoder.Decode(Encoding.UTF8.GetBytes(chunk)));
        }

        events.AddRange(decoder.Complete());
        return events;
    }

    [Fact]
    public async Task Decode_StreamRecording_ExactTextFinishAndLastChunkUsage()
    {
        var events = await DecodeAllAsync(GeminiRecordings.SseBytes(GeminiRecordings.Stream));

        // The expected text is read straight from the recording's JSON, independently of the codec.
        using var recording = JsonDocument.Parse(Fixtures.ReadText(GeminiRecordings.Stream));
        var expected = string.Concat(recording.RootElement.GetProperty("interactions")[0].GetProperty("response")
            .GetProperty("bodySegments").EnumerateArray()
            .Select(c => c.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString()));
        var deltas = events.OfType<TextDeltaEvent>().ToList();

        Assert.Equal(new MessageStartEvent("pdSfaOurIPqAm9IPucqbqA4", "gemini-2.0-flash"), events[0]);
        Assert.Equal(11, deltas.Count);
        Assert.All(deltas, d => Assert.Equal(0, d.Index));
        Assert.Equal(expected, string.Concat(deltas.Select(d => d.Text)));
        Assert.StartsWith("The sky is blue due to a phenomenon called **Rayleigh scattering**.", expected, StringComparison.Ordinal);
        Assert.EndsWith("leading to variations in the blue intensity or even a hazy appearance.", expected, StringComparison.Ordinal);

        // Then: the part closes, the answer finishes, and usage comes from the LAST chunk only (6 prompt tokens
        // there; every intermediate chunk said 7).
        Assert.Equal(new PartStopEvent(0), events[^3]);
        var finish = Assert.IsType<FinishEvent>(events[^2]);
        Assert.Equal(new ChatFinish(FinishReason.Stop, "STOP", WireFormat.Gemini), finish.Finish);
        var usage = Assert.IsType<UsageEvent>(events[^1]);
        Assert.Equal(new TokenUsage(6, 377, 0, 0), usage.Usage);
        Assert.Single(events.OfType<UsageEvent>());
        Assert.Equal(1 + 11 + 3, events.Count);
    }

    [Fact]
    public void Decode_ThoughtTextAndCallWithSignatures_PartsInOrderAndToolCallsFinish()
    {
        var events = DecodeChunks(
            """{"candidates":[{"content":{"role":"model","parts":[{"text":"Let me think","thought":true}]}}],"responseId":"r1","modelVersion":"gemini-2.5-flash"}""",
            """{"candidates":[{"content":{"role":"model","parts":[{"text":" more.","thought":true,"thoughtSignature":"c2lnMQ=="}]}}],"responseId":"r1"}""",
            """{"candidates":[{"content":{"role":"model","parts":[{"text":"Calling."},{"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"c2lnMg=="}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":5,"thoughtsTokenCount":7,"totalTokenCount":22},"responseId":"r1"}""");

        Assert.Equal(
            [
                new MessageStartEvent("r1", "gemini-2.5-flash"),
                new ThinkingDeltaEvent(0, "Let me think"),
                new ThinkingDeltaEvent(0, " more."),
                new ThinkingSignatureEvent(0, "c2lnMQ=="),
                new PartStopEvent(0),
                new TextDeltaEvent(1, "Calling."),
                new PartStopEvent(1),
            ],
            events.Take(7));
        var start = Assert.IsType<ToolCallStartEvent>(events[7]);
        Assert.Equal((2, "call_r1_0", "get_weather"), (start.Index, start.Id, start.Name));
        Assert.Equal("\"c2lnMg==\"", start.Extensions.Find(WireFormat.Gemini, "thoughtSignature")?.ToString());
        Assert.Equal(new ToolCallArgumentsDeltaEvent(2, """{"city":"Paris"}"""), events[8]);
        Assert.Equal(new PartStopEvent(2), events[9]);
        Assert.Equal(FinishReason.ToolCalls, Assert.IsType<FinishEvent>(events[10]).Finish.Reason);
        Assert.Equal(new TokenUsage(10, 12, 0, 7), Assert.IsType<UsageEvent>(events[11]).Usage);
        Assert.Equal(12, events.Count);
    }

    [Fact]
    public void Complete_StreamWithoutFinishingChunk_ReportsCutStream()
    {
        var events = DecodeChunks("""{"candidates":[{"content":{"parts":[{"text":"Half"}]}}],"responseId":"r"}""");

        Assert.Equal(new PartStopEvent(0), events[^2]);
        var error = Assert.IsType<StreamErrorEvent>(events[^1]);
        Assert.Equal(ChatErrorKind.Server, error.Error.Kind);
        Assert.DoesNotContain(events, e => e is FinishEvent);
    }

    [Fact]
    public void Decode_InBandErrorChunk_StreamErrorWithItsStatus()
    {
        var events = DecodeChunks(
            """{"candidates":[{"content":{"parts":[{"text":"Hi"}]}}],"responseId":"r"}""",
            """{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}""");

        var error = Assert.IsType<StreamErrorEvent>(events[^1]).Error;
        Assert.Equal((503, ChatErrorKind.Overloaded, "The model is overloaded.", "UNAVAILABLE"),
            (error.Status, error.Kind, error.Message, error.UpstreamCode));
        Assert.Single(events.OfType<StreamErrorEvent>());
    }

    [Fact]
    public void Decode_BlockedPrompt_ContentFilterFinishWithBlockReason()
    {
        var events = DecodeChunks(
            """{"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"},"usageMetadata":{"promptTokenCount":12,"totalTokenCount":12},"responseId":"r"}""");

        Assert.Equal(new ChatFinish(FinishReason.ContentFilter, "PROHIBITED_CONTENT", WireFormat.Gemini),
            Assert.IsType<FinishEvent>(events[1]).Finish);
        Assert.Equal(new TokenUsage(12, 0), Assert.IsType<UsageEvent>(events[2]).Usage);
        Assert.Equal(3, events.Count);
    }

    [Fact]
    public void Decode_StreamedImage_FailsInsteadOfDroppingIt()
    {
        var events = DecodeChunks(
            """{"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}]},"finishReason":"STOP"}],"responseId":"r"}""");

        Assert.IsType<StreamErrorEvent>(events[^1]);
        Assert.DoesNotContain(events, e => e is FinishEvent);
    }
}
