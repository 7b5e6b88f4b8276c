using System.Buffers;
using System.Text;
using Spillway.Core.Streaming;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Streaming;

public class SseWriterTests
{
    private static string Written(Action<ArrayBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void WriteEvent_SingleLineData_OneDataLineAndBlankLine()
    {
        var text = Written(o => SseWriter.WriteEvent(o, "{\"a\":1}"u8));

        Assert.Equal("data: {\"a\":1}\n\n", text);
    }

    [Fact]
    public void WriteEvent_WithEventName_EventLineFirst()
    {
        var text = Written(o => SseWriter.WriteEvent(o, "{\"type\":\"ping\"}"u8, "ping"));

        Assert.Equal("event: ping\ndata: {\"type\":\"ping\"}\n\n", text);
    }

    [Fact]
    public void WriteEvent_MultiLineData_OneDataLinePerLine()
    {
        var text = Written(o => SseWriter.WriteEvent(o, "a\nb\r\nc\rd\n"u8));

        Assert.Equal("data: a\ndata: b\ndata: c\ndata: d\ndata: \n\n", text);
    }

    [Fact]
    public void WriteEvent_EmptyData_OneEmptyDataLine()
    {
        Assert.Equal("data: \n\n", Written(o => SseWriter.WriteEvent(o, [])));
    }

    [Theory]
    [InlineData("bad\nname")]
    [InlineData("bad\rname")]
    public void WriteEvent_EventNameWithLineBreak_Throws(string name)
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentException>(() => SseWriter.WriteEvent(output, "x"u8, name));
    }

    [Fact]
    public void WriteDone_WritesOpenAITerminator()
    {
        Assert.Equal("data: [DONE]\n\n", Written(SseWriter.WriteDone));
    }

    [Fact]
    public void WriteComment_MultiLineText_EachLineACommentThenBlankLine()
    {
        Assert.Equal(": keep-alive\n\n", Written(o => SseWriter.WriteComment(o, "keep-alive")));
        Assert.Equal(": a\n:\n: b\n\n", Written(o => SseWriter.WriteComment(o, "a\n\r\nb")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(int.MaxValue)]
    public async Task WriteEvent_RoundTripThroughReader_SameEvents(int chunkSize)
    {
        (string? Name, string Data)[] events =
        [
            ("message_start", "{\"type\":\"message_start\"}"),
            (null, "line one\nline two\n\nline four"),
            ("custom name", ""),
            (null, "ünïcödé ✓ {\"x\":\"\\n\"}"),
            (null, "\n"),
        ];
        var output = new ArrayBufferWriter<byte>();
        SseWriter.WriteComment(output, "OPENROUTER PROCESSING");
        foreach (var (name, data) in events)
        {
            SseWriter.WriteEvent(output, Encoding.UTF8.GetBytes(data), name);
            SseWriter.WriteComment(output, "keep-alive");
        }

        SseWriter.WriteDone(output);

        var read = new List<(string? Name, string Data)>();
        await using var reader = new SseReader(new ChunkedReadStream(output.WrittenSpan.ToArray(), chunkSize));
        while (await reader.ReadNextAsync())
        {
            read.Add((reader.EventName, Encoding.UTF8.GetString(reader.Data.Span)));
        }

        Assert.Equal([.. events, (null, "[DONE]")], read);
        Assert.Equal(events.Length + 1, reader.CommentLinesSkipped);
        Assert.False(reader.EndedMidEvent);
    }

    [Fact]
    public async Task WriteEvent_RewritingAnthropicFixture_ReadsBackIdentically()
    {
        var original = new List<(string? Name, byte[] Data)>();
        await using (var reader = new SseReader(new MemoryStream(Fixtures.ReadBytes("anthropic-messages-stream-tool-use.sse"))))
        {
            while (await reader.ReadNextAsync())
            {
                original.Add((reader.EventName, reader.Data.ToArray()));
            }
        }

        var output = new ArrayBufferWriter<byte>();
        foreach (var (name, data) in original)
        {
            SseWriter.WriteEvent(output, data, name);
        }

        var again = new List<(string? Name, byte[] Data)>();
        await using (var reader = new SseReader(new MemoryStream(output.WrittenSpan.ToArray())))
        {
            while (await reader.ReadNextAsync())
            {
                again.Add((reader.EventName, reader.Data.ToArray()));
            }

            Assert.False(reader.EndedMidEvent);
        }

        Assert.Equal(original.Count, again.Count);
        Assert.All(original.Zip(again), pair =>
        {
            Assert.Equal(pair.First.Name, pair.Second.Name);
            Assert.Equal(pair.First.Data, pair.Second.Data);
        });
    }
}
