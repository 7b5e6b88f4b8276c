using System.Buffers;
using System.Text;
using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Codecs.Responses;
using Spillway.Core.Streaming;
using Spillway.Core.Tests.Engine;

namespace Spillway.Core.Tests.Codecs.Responses;

public sealed class ResponsesCaptureTests
{
    private const string Response = """{"id":"resp_1","object":"response","status":"completed","output":[]}""";

    [Fact]
    public async Task FlushAsync_NonStreamed200_KeepsTheWholeBodyBeforeItIsFlushed()
    {
        var client = new FlushCountingResponse();
        var kept = new List<string>();
        using var capture = new ResponsesCapture(client, Keep(kept, client));

        // As the engine sends a whole answer: with its length, so the client has it at the flush.
        var bytes = Encoding.UTF8.GetBytes(Response);
        await capture.StartAsync(200, "application/json", bytes.Length, CancellationToken.None);
        capture.Body.Write(bytes);
        await capture.FlushAsync(CancellationToken.None);

        Assert.Equal([Response], kept);
        Assert.Equal([0], client.FlushesSeenByKeep);
        Assert.Equal(Response, client.Text);
        Assert.Equal(bytes.Length, client.ContentLength);
    }

    [Fact]
    public async Task FlushAsync_Stream_KeepsTheResponseOfResponseCompletedOnly()
    {
        var client = new FlushCountingResponse();
        var kept = new List<string>();
        using var capture = new ResponsesCapture(client, Keep(kept, client));

        await capture.StartAsync(200, "text/event-stream", null, CancellationToken.None);
        foreach (var (name, data) in Events("response.completed"))
        {
            SseWriter.WriteEvent(capture.Body, Encoding.UTF8.GetBytes(data), name);
            await capture.FlushAsync(CancellationToken.None);
        }

        Assert.Equal([Response], kept);
        Assert.Equal([3], client.FlushesSeenByKeep);
        Assert.Contains("event: response.completed", client.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlushAsync_StreamEndingIncompleteInOneFlush_KeepsIt()
    {
        var client = new FlushCountingResponse();
        var kept = new List<string>();
        using var capture = new ResponsesCapture(client, Keep(kept, client));

        await capture.StartAsync(200, "text/event-stream; charset=utf-8", null, CancellationToken.None);
        foreach (var (name, data) in Events("response.incomplete"))
        {
            SseWriter.WriteEvent(capture.Body, Encoding.UTF8.GetBytes(data), name);
        }

        await capture.FlushAsync(CancellationToken.None);

        Assert.Equal([Response], kept);
    }

    [Fact]
    public async Task FlushAsync_StreamEndingFailed_KeepsNothing()
    {
        var client = new FlushCountingResponse();
        var kept = new List<string>();
        using var capture = new ResponsesCapture(client, Keep(kept, client));

        await capture.StartAsync(200, "text/event-stream", null, CancellationToken.None);
        foreach (var (name, data) in Events("response.failed"))
        {
            SseWriter.WriteEvent(capture.Body, Encoding.UTF8.GetBytes(data), name);
            await capture.FlushAsync(CancellationToken.None);
        }

        Assert.Empty(kept);
    }

    [Fact]
    public async Task FlushAsync_AnError_KeepsNothingAndWritesStraightThrough()
    {
        var client = new FlushCountingResponse();
        var kept = new List<string>();
        using var capture = new ResponsesCapture(client, Keep(kept, client));

        await capture.StartAsync(429, "application/json", null, CancellationToken.None);
        Assert.Same(client.Body, capture.Body);
        ResponsesErrorWriter.WriteBody(capture.Body, new ChatError(429, ChatErrorKind.RateLimited, "slow down"));
        await capture.FlushAsync(CancellationToken.None);

        Assert.Empty(kept);
        Assert.Contains("slow down", client.Text, StringComparison.Ordinal);
    }

    private static (string Name, string Data)[] Events(string last) =>
    [
        ("response.created", """{"type":"response.created","sequence_number":0,"response":{"id":"resp_1","status":"in_progress"}}"""),
        ("response.output_text.delta", """{"type":"response.output_text.delta","sequence_number":1,"delta":"event: response.completed\n\n"}"""),
        ("response.output_item.done", """{"type":"response.output_item.done","sequence_number":2,"item":{}}"""),
        (last, $$"""{"type":"{{last}}","sequence_number":3,"response":{{Response}}}"""),
    ];

    private static Func<ReadOnlyMemory<byte>, ValueTask> Keep(List<string> kept, FlushCountingResponse client) => response =>
    {
        kept.Add(Encoding.UTF8.GetString(response.Span));
        client.FlushesSeenByKeep.Add(client.Flushes);
        return ValueTask.CompletedTask;
    };

    /// <summary>Counts flushes, so a test can tell the answer was kept before its bytes went out.</summary>
    private sealed class FlushCountingResponse : IClientResponse
    {
        private readonly MemoryClientResponse _inner = new();

        public int Flushes { get; private set; }

        public List<int> FlushesSeenByKeep { get; } = [];

        public string Text => _inner.Text;

        public bool HasStarted => _inner.HasStarted;

        public IBufferWriter<byte> Body => _inner.Body;

        public void SetHeader(string name, string value) => _inner.SetHeader(name, value);

        public long? ContentLength => _inner.ContentLength;

        public ValueTask StartAsync(int status, string contentType, long? contentLength, CancellationToken cancellationToken) =>
            _inner.StartAsync(status, contentType, contentLength, cancellationToken);

        public ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return ValueTask.CompletedTask;
        }
    }
}
