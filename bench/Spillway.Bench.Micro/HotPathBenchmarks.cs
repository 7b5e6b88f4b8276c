using BenchmarkDotNet.Attributes;
using Spillway.Core.Buffers;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;
using Spillway.Core.Health;
using Spillway.Core.KeyState;
using Spillway.Core.Planning;

namespace Spillway.Bench.Micro;

/// <summary>
/// The pure-CPU part of one non-streamed request in order: sniff, plan, rewrite into a pooled buffer, read the
/// answer's usage. What is left of a request's cost in the load benchmark is HTTP, sockets and the ledger.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private static readonly string[] NoModels = [];

    private readonly SpillwayConfig _config = ConfigLoader.Parse(
        """
        providers:
          - { id: sim, format: openai, base_url: "http://127.0.0.1:9/v1", keys: [{ id: sim-1, value: bench-key, tier: free }] }
        models:
          - { id: bench-one-step, strategy: ordered, route: [sim/bench-model] }
        """,
        "bench.yaml",
        new Dictionary<string, string?>());

    private readonly RoutePlanner _planner = new(new UnmeasuredRouteSpeed(), new InMemoryKeyUsage(TimeProvider.System));

    [Benchmark]
    public int SmallRequest()
    {
        var body = Payloads.SmallRequest;
        var sniff = OpenAIRequestSniffer.Sniff(body);
        var needs = RequestNeeds.Of(sniff, body.Length);
        var plan = _planner.Plan(_config, new PlanRequest(sniff.Model, sniff.Models, RequestPolicy.Default, needs), out _)!;
        var step = plan.Steps[0];
        using var upstreamBody = new PooledBufferWriter(body.Length + 256);
        OpenAIRequestRewriter.Rewrite(body, sniff, step.UpstreamModel, upstreamBody, step.Provider.Quirks, forceIncludeUsage: true);
        var usage = OpenAIUsageReader.Read(Payloads.Completion);
        return upstreamBody.WrittenCount + (usage is null ? 0 : 1);
    }
}
