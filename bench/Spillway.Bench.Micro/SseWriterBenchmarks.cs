using System.Buffers;
using BenchmarkDotNet.Attributes;
using Spillway.Core.Streaming;

namespace Spillway.Bench.Micro;

/// <summary><see cref="SseWriter"/>: framing events for the client.</summary>
[MemoryDiagnoser]
public class SseWriterBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(16 * 1024);

    [Benchmark(Baseline = true)]
    public int WriteOneEvent()
    {
        _output.ResetWrittenCount();
        SseWriter.WriteEvent(_output, Payloads.ContentChunk);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int WriteStream18Events()
    {
        _output.ResetWrittenCount();
        foreach (var data in Payloads.StreamEvents)
        {
            SseWriter.WriteEvent(_output, data);
        }

        SseWriter.WriteDone(_output);
        return _output.WrittenCount;
    }
}
