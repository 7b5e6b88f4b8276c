using System.Buffers;
using System.Net.ServerSentEvents;
using BenchmarkDotNet.Attributes;
using Spillway.Core.Engine;
using Spillway.Core.Streaming;

namespace Spillway.Bench.Micro;

/// <summary>
/// <see cref="SseReader"/> against .NET's <see cref="SseParser"/> over the same whole upstream streams, each parsed
/// the way the engine consumes them (FallbackEngine.Streaming.cs): every event's name and data bytes are read, and
/// the data stays bytes. The stream answers each read either with all that is asked (the parser's cost alone) or
/// with at most one 1460-byte network segment (how an upstream body's reads come back).
/// </summary>
/// <remarks>
/// <see cref="SseParser"/> hands each event's data to an item parser as a span valid only during the call, so it
/// is measured twice: copying the data into a new array per event (the plain way), and into one pooled buffer
/// reused for the whole stream, valid until the next event (the same contract as <see cref="SseReader.Data"/>,
/// the fairest equivalent).
/// </remarks>
[MemoryDiagnoser]
public class SseParserComparisonBenchmarks
{
    private static readonly int MaxEventBytes = new EngineOptions().MaxStreamEventBytes;

    private byte[] _wire = [];

    [Params("openai-200", "anthropic-200", "openai-256KiB-event")]
    public string Stream { get; set; } = "openai-200";

    [Params("all", "1460 B")]
    public string Reads { get; set; } = "all";

    [GlobalSetup]
    public void Setup()
    {
        _wire = SseStreams.Named(Stream);

        // The three must see the same events, or the comparison means nothing.
        var reader = SseReaderAsEngine().AsTask().GetAwaiter().GetResult();
        var copied = SseParserCopyPerEvent().AsTask().GetAwaiter().GetResult();
        var pooled = SseParserPooledBuffer().AsTask().GetAwaiter().GetResult();
        if (reader != copied || reader != pooled)
        {
            throw new InvalidOperationException($"The parsers disagree on {Stream}, {Reads}: {reader}, {copied}, {pooled}.");
        }
    }

    [Benchmark(Baseline = true)]
    public async ValueTask<long> SseReaderAsEngine()
    {
        await using var reader = new SseReader(OpenUpstream(), MaxEventBytes);
        var seen = 0L;
        while (await reader.ReadNextAsync())
        {
            seen += Seen(reader.EventName, reader.Data);
        }

        return seen;
    }

    [Benchmark]
    public async ValueTask<long> SseParserCopyPerEvent()
    {
        await using var stream = OpenUpstream();
        var parser = SseParser.Create(stream, static (_, data) => data.ToArray());
        var seen = 0L;
        await foreach (var item in parser.EnumerateAsync())
        {
            seen += Seen(NameOf(item.EventType), item.Data);
        }

        return seen;
    }

    [Benchmark]
    public async ValueTask<long> SseParserPooledBuffer()
    {
        await using var stream = OpenUpstream();
        using var data = new PooledEventData();
        var parser = SseParser.Create(stream, data.Copy);
        var seen = 0L;
        await foreach (var item in parser.EnumerateAsync())
        {
            seen += Seen(NameOf(item.EventType), item.Data);
        }

        return seen;
    }

    private Stream OpenUpstream() =>
        Reads == "all" ? new MemoryStream(_wire, writable: false) : new SegmentedReadStream(_wire, 1460);

    // SseParser reports an unnamed event as "message"; SseReader as null (what the codecs expect).
    private static string? NameOf(string eventType) =>
        ReferenceEquals(eventType, SseParser.EventTypeDefault) ? null : eventType;

    // Touches what the engine touches, so nothing is optimised away: the name and every event's data.
    private static long Seen(string? name, ReadOnlyMemory<byte> data) =>
        1 + (name?.Length ?? 0) + data.Length + (data.IsEmpty ? 0 : data.Span[^1]);

    /// <summary>One pooled buffer that holds the latest event's data, grown when an event needs more.</summary>
    private sealed class PooledEventData : IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4 * 1024);

        public ReadOnlyMemory<byte> Copy(string eventType, ReadOnlySpan<byte> data)
        {
            if (data.Length > _buffer.Length)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(data.Length);
            }

            data.CopyTo(_buffer);
            return _buffer.AsMemory(0, data.Length);
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
