using System.Buffers;
using BenchmarkDotNet.Attributes;
using Spillway.Core.Codecs;
using Spillway.Core.Codecs.OpenAI;

namespace Spillway.Bench.Micro;

/// <summary><see cref="OpenAIRequestRewriter.Rewrite"/>: the body sent upstream, with the route's model and usage forced on.</summary>
[MemoryDiagnoser]
public class RewriteBenchmarks
{
    private readonly ChatRequestSniff _small = OpenAIRequestSniffer.Sniff(Payloads.SmallRequest);
    private readonly ChatRequestSniff _stream = OpenAIRequestSniffer.Sniff(Payloads.StreamRequest);
    private readonly ChatRequestSniff _large = OpenAIRequestSniffer.Sniff(Payloads.LargeRequest);

    // Reused, as the engine reuses pooled buffers: the benchmark measures the rewrite, not a fresh array.
    private readonly ArrayBufferWriter<byte> _output = new(16 * 1024);

    [Benchmark(Baseline = true)]
    public int Small() => Rewrite(Payloads.SmallRequest, _small);

    [Benchmark]
    public int SmallStream() => Rewrite(Payloads.StreamRequest, _stream);

    [Benchmark]
    public int Large9KB() => Rewrite(Payloads.LargeRequest, _large);

    private int Rewrite(byte[] body, ChatRequestSniff sniff)
    {
        _output.ResetWrittenCount();
        OpenAIRequestRewriter.Rewrite(body, sniff, "bench-model", _output, forceIncludeUsage: true);
        return _output.WrittenCount;
    }
}
