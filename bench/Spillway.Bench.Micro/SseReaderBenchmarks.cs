using BenchmarkDotNet.Attributes;
using Spillway.Core.Streaming;

namespace Spillway.Bench.Micro;

/// <summary><see cref="SseReader"/>: parsing a whole upstream stream of 18 events, reader creation included.</summary>
[MemoryDiagnoser]
public class SseReaderBenchmarks
{
    [Benchmark]
    public async Task<int> ReadStream18Events()
    {
        await using var reader = new SseReader(new MemoryStream(Payloads.StreamWire, writable: false));
        var events = 0;
        while (await reader.ReadNextAsync())
        {
            events++;
        }

        return events;
    }
}
