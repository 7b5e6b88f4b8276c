using BenchmarkDotNet.Attributes;
using Spillway.Core.Codecs;
using Spillway.Core.Codecs.OpenAI;

namespace Spillway.Bench.Micro;

/// <summary><see cref="OpenAIRequestSniffer.Sniff"/>: the one pass over every request body.</summary>
[MemoryDiagnoser]
public class SniffBenchmarks
{
    [Benchmark(Baseline = true)]
    public ChatRequestSniff Small() => OpenAIRequestSniffer.Sniff(Payloads.SmallRequest);

    [Benchmark]
    public ChatRequestSniff SmallStream() => OpenAIRequestSniffer.Sniff(Payloads.StreamRequest);

    [Benchmark]
    public ChatRequestSniff Large9KB() => OpenAIRequestSniffer.Sniff(Payloads.LargeRequest);
}
