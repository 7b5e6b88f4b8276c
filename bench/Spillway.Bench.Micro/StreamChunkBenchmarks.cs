using BenchmarkDotNet.Attributes;
using Spillway.Core.Codecs.OpenAI;

namespace Spillway.Bench.Micro;

/// <summary><see cref="OpenAIStreamChunk.Inspect"/>: run on every streamed event before it is relayed.</summary>
[MemoryDiagnoser]
public class StreamChunkBenchmarks
{
    [Benchmark(Baseline = true)]
    public ChunkInfo Content() => OpenAIStreamChunk.Inspect(Payloads.ContentChunk);

    [Benchmark]
    public ChunkInfo Role() => OpenAIStreamChunk.Inspect(Payloads.RoleChunk);

    [Benchmark]
    public ChunkInfo Finish() => OpenAIStreamChunk.Inspect(Payloads.FinishChunk);

    [Benchmark]
    public ChunkInfo Usage() => OpenAIStreamChunk.Inspect(Payloads.UsageChunk);

    [Benchmark]
    public ChunkInfo Done() => OpenAIStreamChunk.Inspect("[DONE]"u8);
}
