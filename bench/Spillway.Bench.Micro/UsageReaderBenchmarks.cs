using BenchmarkDotNet.Attributes;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.OpenAI;

namespace Spillway.Bench.Micro;

/// <summary><see cref="OpenAIUsageReader.Read"/>: the usage of every non-streamed answer, for the ledger.</summary>
[MemoryDiagnoser]
public class UsageReaderBenchmarks
{
    [Benchmark]
    public TokenUsage? Completion() => OpenAIUsageReader.Read(Payloads.Completion);
}
