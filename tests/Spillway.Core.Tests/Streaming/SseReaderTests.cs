using System.Text;
using Spillway.Core.Streaming;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Streaming;

public class SseReaderTests
{
    private sealed record ReadResult(List<(string? Name, string Data)> Events, bool EndedMidEvent, long Comments);

    private static async Task<ReadResult> ReadAllAsync(
        byte[] bytes, int chunkSize, int maxEventBytes = SseReader.DefaultMaxEventBytes)
    {
        var events = new List<(string? Name, string Data)>();
        await using var reader = new SseReader(new ChunkedReadStream(bytes, chunkSize), maxEventBytes);
        while (await reader.ReadNextAsync())
        {
            events.Add((reader.EventName, Encoding.UTF8.GetString(reader.Data.Span)));
        }

        return new ReadResult(events, reader.EndedMidEvent, reader.CommentLinesSkipped);
    }

    private static Task<ReadResult> ReadAllAsync(string text, int chunkSize = int.MaxValue) =>
        ReadAllAsync(Encoding.UTF8.GetBytes(text), chunkSize);

    private static void AssertSame(ReadResult expected, ReadResult actual)
    {
        Assert.Equal(expected.Events, actual.Events);
        Assert.Equal(expected.EndedMidEvent, actual.EndedMidEvent);
        Assert.Equal(expected.Comments, actual.Comments);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(int.MaxValue)]
    public async Task ReadNextAsync_OpenAIFixtureInChunks_ReadsEveryDataLine(int chunkSize)
    {
        var bytes = Fixtures.ReadBytes("openai-chat-stream-text.sse");
        var expected = Fixtures.ReadText("openai-chat-stream-text.sse")
            .Split('\n')
            .Where(line => line.StartsWith("data: ", StringComparison.Ordinal))
            .Select(line => ((string?)null, line["data: ".Length..]))
            .ToList();

        var result = await ReadAllAsync(bytes, chunkSize);

        Assert.Equal(18, result.Events.Count);
        Assert.Equal(expected, result.Events);
        Assert.Equal("[DONE]", result.Events[^1].Data);
        Assert.False(result.EndedMidEvent);
        Assert.Equal(0, result.Comments);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1460)]
    public async Task ReadNextAsync_LongLinesInSmallReads_SameAsWhole(int chunkSize)
    {
        // Long lines, a CR LF split across reads and a lone CR: the reader resumes its line-end search where the
        // last read stopped, and must find the same lines as when the bytes arrive at once.
        var big = new string('x', 200_000);
        var text = $"event: one\r\ndata: {big}\r\ndata: tail\r\n\r\ndata: {big[..5000]}\r\rdata: last\n\n";
        var bytes = Encoding.UTF8.GetBytes(text);

        var whole = await ReadAllAsync(bytes, int.MaxValue);
        var chunked = await ReadAllAsync(bytes, chunkSize);

        Assert.Equal([("one", big + "\ntail"), (null, big[..5000]), (null, "last")], whole.Events);
        AssertSame(whole, chunked);
    }

    [Theory]
    [InlineData("anthropic-messages-stream-text.sse", 1)]
    [InlineData("anthropic-messages-stream-text.sse", 7)]
    [InlineData("anthropic-messages-stream-tool-use.sse", 1)]
    [InlineData("anthropic-messages-stream-tool-use.sse", 7)]
    public async Task ReadNextAsync_AnthropicFixtureInSmallChunks_SameAsWhole(string fixture, int chunkSize)
    {
        var bytes = Fixtures.ReadBytes(fixture);

        var whole = await ReadAllAsync(bytes, int.MaxValue);
        var chunked = await ReadAllAsync(bytes, chunkSize);

        AssertSame(whole, chunked);
    }

    [Fact]
    public async Task ReadNextAsync_AnthropicTextFixture_NamesEveryEvent()
    {
        var result = await ReadAllAsync(Fixtures.ReadBytes("anthropic-messages-stream-text.sse"), 7);

        Assert.Equal(
            ["message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            result.Events.Select(e => e.Name));
        Assert.Equal("{\"type\": \"ping\"}", result.Events[2].Data);
        Assert.Equal("{\"type\":\"message_stop\"}", result.Events[^1].Data);

        // The recording ends right after the last data line, with no blank line: that is a cut stream.
        Assert.True(result.EndedMidEvent);
    }

    [Theory]
    [InlineData("\r\n", 1)]
    [InlineData("\r\n", 7)]
    [InlineData("\r", 1)]
    [InlineData("\r", int.MaxValue)]
    public async Task ReadNextAsync_OtherLineEnds_SameEventsAsLf(string lineEnd, int chunkSize)
    {
        var text = Fixtures.ReadText("anthropic-messages-stream-tool-use.sse");
        var expected = await ReadAllAsync(text);

        var result = await ReadAllAsync(text.Replace("\n", lineEnd, StringComparison.Ordinal), chunkSize);

        AssertSame(expected, result);
        Assert.Equal(15, result.Events.Count);
    }

    [Fact]
    public async Task ReadNextAsync_MixedLineEnds_SplitsEachCorrectly()
    {
        var result = await ReadAllAsync("data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r", 1);

        Assert.Equal([(null, "a\nb\nc"), (null, "d")], result.Events);
        Assert.False(result.EndedMidEvent);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(int.MaxValue)]
    public async Task ReadNextAsync_KeepAliveComments_SkippedAndCounted(int chunkSize)
    {
        var text = ": OPENROUTER PROCESSING\n\n: keep-alive\ndata: {\"a\":1}\n: inside\n\n:\n\ndata: [DONE]\n\n";

        var result = await ReadAllAsync(text, chunkSize);

        Assert.Equal([(null, "{\"a\":1}"), (null, "[DONE]")], result.Events);
        Assert.Equal(4, result.Comments);
    }

    [Fact]
    public async Task ReadNextAsync_StreamWithoutDone_EndsCleanlyWithoutDone()
    {
        var result = await ReadAllAsync("data: {\"a\":1}\n\ndata: {\"b\":2}\n\n", 7);

        Assert.Equal([(null, "{\"a\":1}"), (null, "{\"b\":2}")], result.Events);
        Assert.False(result.EndedMidEvent);
    }

    [Theory]
    [InlineData("data: {\"a\":1}\n\ndata: {\"b\"", "{\"b\"")]
    [InlineData("data: {\"a\":1}\n\ndata: {\"b\":2}\n", "{\"b\":2}")]
    [InlineData("data: {\"a\":1}\n\ndata: {\"b\":2}\r", "{\"b\":2}")]
    public async Task ReadNextAsync_TruncatedFinalEvent_DeliveredAndFlagged(string text, string lastData)
    {
        var result = await ReadAllAsync(text, 1);

        Assert.Equal([(null, "{\"a\":1}"), (null, lastData)], result.Events);
        Assert.True(result.EndedMidEvent);
    }

    [Fact]
    public async Task ReadNextAsync_TrailingCommentAfterLastEvent_NotTruncated()
    {
        var result = await ReadAllAsync("data: x\n\n: bye");

        Assert.Equal([(null, "x")], result.Events);
        Assert.False(result.EndedMidEvent);
        Assert.Equal(1, result.Comments);
    }

    [Fact]
    public async Task ReadNextAsync_EmptyStream_ReturnsFalse()
    {
        var result = await ReadAllAsync("");

        Assert.Empty(result.Events);
        Assert.False(result.EndedMidEvent);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(int.MaxValue)]
    public async Task ReadNextAsync_ByteOrderMark_Skipped(int chunkSize)
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat("event: ping\ndata: x\n\n"u8.ToArray()).ToArray();

        var result = await ReadAllAsync(bytes, chunkSize);

        Assert.Equal([("ping", "x")], result.Events);
    }

    [Fact]
    public async Task ReadNextAsync_DataWithAndWithoutSpace_OneSpaceRemoved()
    {
        var result = await ReadAllAsync("data:tight\n\ndata:  two\n\ndata\n\ndata:\ndata:\n\n");

        Assert.Equal([(null, "tight"), (null, " two"), (null, ""), (null, "\n")], result.Events);
    }

    [Fact]
    public async Task ReadNextAsync_IdRetryAndUnknownFields_Ignored()
    {
        var result = await ReadAllAsync("id: 1\nretry: 100\nfoo: bar\ndata: x\n\nid: 2\n\nretry: 5\n\n");

        Assert.Equal([(null, "x")], result.Events);
    }

    [Fact]
    public async Task ReadNextAsync_CommonEventName_ReturnsInternedString()
    {
        await using var reader = new SseReader(new MemoryStream("event: content_block_delta\ndata: x\n\n"u8.ToArray()));

        Assert.True(await reader.ReadNextAsync());

        Assert.Same("content_block_delta", reader.EventName);
    }

    [Fact]
    public async Task ReadNextAsync_RepeatedCustomEventName_AllocatedOnce()
    {
        var bytes = "event: custom.thing\ndata: 1\n\nevent: custom.thing\ndata: 2\n\ndata: 3\n\n"u8.ToArray();
        await using var reader = new SseReader(new MemoryStream(bytes));

        Assert.True(await reader.ReadNextAsync());
        var first = reader.EventName;
        Assert.True(await reader.ReadNextAsync());
        var second = reader.EventName;
        Assert.True(await reader.ReadNextAsync());

        Assert.Equal("custom.thing", first);
        Assert.Same(first, second);
        Assert.Null(reader.EventName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(int.MaxValue)]
    public async Task ReadNextAsync_OversizeSingleLine_Throws(int chunkSize)
    {
        var bytes = Encoding.UTF8.GetBytes("data: small\n\ndata: " + new string('x', 200) + "\n\n");
        var stream = new ChunkedReadStream(bytes, chunkSize);
        await using var reader = new SseReader(stream, maxEventBytes: 100);

        Assert.True(await reader.ReadNextAsync());
        await Assert.ThrowsAsync<SseFormatException>(async () => await reader.ReadNextAsync());
    }

    [Fact]
    public async Task ReadNextAsync_OversizeUnterminatedLine_ThrowsBeforeBufferingItAll()
    {
        var bytes = Encoding.UTF8.GetBytes("data: " + new string('x', 100_000));
        var stream = new ChunkedReadStream(bytes, 64);
        await using var reader = new SseReader(stream, maxEventBytes: 1000);

        await Assert.ThrowsAsync<SseFormatException>(async () => await reader.ReadNextAsync());

        Assert.True(stream.Position < 2000, $"read {stream.Position} bytes before refusing");
    }

    [Fact]
    public async Task ReadNextAsync_OversizeAcrossManyDataLines_Throws()
    {
        var text = string.Concat(Enumerable.Repeat("data: 0123456789\n", 10)) + "\n";
        var within = await ReadAllAsync(Encoding.UTF8.GetBytes(text), 3, maxEventBytes: 160);

        Assert.Single(within.Events);
        await Assert.ThrowsAsync<SseFormatException>(
            () => ReadAllAsync(Encoding.UTF8.GetBytes(text), 3, maxEventBytes: 159));
    }

    [Fact]
    public async Task ReadNextAsync_EventLargerThanInitialBuffers_ReadWhole()
    {
        var payload = new string('y', 100_000);
        var result = await ReadAllAsync("data: " + payload + "\ndata: z\n\n", 4096);

        Assert.Equal([(null, payload + "\nz")], result.Events);
    }

    [Fact]
    public async Task ReadNextAsync_CancelledToken_Throws()
    {
        await using var reader = new SseReader(new ChunkedReadStream("data: x\n\n"u8.ToArray(), 1));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.ReadNextAsync(cts.Token));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task DisposeAsync_LeaveOpen_DisposesStreamOnlyWhenOwned(bool leaveOpen, bool expectDisposed)
    {
        var stream = new ChunkedReadStream("data: x\n\n"u8.ToArray(), 4);
        var reader = new SseReader(stream, leaveOpen: leaveOpen);

        await reader.DisposeAsync();

        Assert.Equal(expectDisposed, stream.WasDisposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await reader.ReadNextAsync());
    }

    [Fact]
    public async Task ReadNextAsync_BufferedEvents_NoPerEventAllocation()
    {
        var line = Fixtures.ReadText("openai-chat-stream-text.sse").Split('\n')[2] + "\n\n";
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(line, 2000)));
        await using var reader = new SseReader(new ChunkedReadStream(bytes, 5000, yieldOnRead: false));
        Assert.True(await reader.ReadNextAsync());

        var before = GC.GetAllocatedBytesForCurrentThread();
        var count = 1;
        while (await reader.ReadNextAsync())
        {
            count++;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(2000, count);
        Assert.Equal(0, allocated);
    }
}
