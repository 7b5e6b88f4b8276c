using BenchmarkDotNet.Attributes;
using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;
using Spillway.Core.Health;
using Spillway.Core.KeyState;
using Spillway.Core.Planning;

namespace Spillway.Bench.Micro;

/// <summary><see cref="RoutePlanner.Plan"/>: from the requested model to the ordered steps of route and key.</summary>
[MemoryDiagnoser]
public class RoutePlannerBenchmarks
{
    private const string Yaml = """
        providers:
          - { id: sim, format: openai, base_url: "http://127.0.0.1:9/v1", keys: [{ id: sim-1, value: bench-key, tier: free }] }
          - { id: spent, format: openai, base_url: "http://127.0.0.1:9/spent/v1", keys: [{ id: spent-1, value: bench-key, tier: free }] }
          - id: groq
            format: openai
            base_url: "http://127.0.0.1:9/groq/v1"
            keys:
              - { id: groq-1, value: key-1, tier: free }
              - { id: groq-2, value: key-2, tier: free }
          - { id: gemini, format: openai, base_url: "http://127.0.0.1:9/gemini/v1", keys: [{ id: gemini-1, value: key-3, tier: free }] }
          - { id: openai, format: openai, base_url: "http://127.0.0.1:9/openai/v1", keys: [{ id: openai-1, value: key-4, tier: paid }] }
        models:
          - { id: bench-one-step, strategy: ordered, route: [sim/bench-model] }
          - { id: bench-cooled-chain, strategy: ordered, route: [spent/bench-model, sim/bench-model] }
          - id: free-first
            strategy: ordered
            route: [gemini/gemini-2.5-flash, groq/llama-3.3-70b-versatile, sim/bench-model, openai/gpt-4o-mini]
        """;

    private static readonly string[] NoModels = [];
    private static readonly string[] AdHocChain = ["groq/llama-3.3-70b-versatile", "sim/bench-model"];

    private readonly SpillwayConfig _config = ConfigLoader.Parse(Yaml, "bench.yaml", new Dictionary<string, string?>());

    private readonly RoutePlanner _planner = new(new UnmeasuredRouteSpeed(), new InMemoryKeyUsage(TimeProvider.System));

    [Benchmark(Baseline = true)]
    public RoutePlan? OneStepAlias() => _planner.Plan(_config, new PlanRequest("bench-one-step", NoModels, RequestPolicy.Default, RequestNeeds.None), out _);

    [Benchmark]
    public RoutePlan? TwoStepAlias() => _planner.Plan(_config, new PlanRequest("bench-cooled-chain", NoModels, RequestPolicy.Default, RequestNeeds.None), out _);

    [Benchmark]
    public RoutePlan? FiveStepAlias() => _planner.Plan(_config, new PlanRequest("free-first", NoModels, RequestPolicy.Default, RequestNeeds.None), out _);

    [Benchmark]
    public RoutePlan? FiveStepAliasFreeOnly() => _planner.Plan(_config, new PlanRequest("free-first", NoModels, new RequestPolicy(FreeOnly: true), RequestNeeds.None), out _);

    [Benchmark]
    public RoutePlan? DirectRoute() => _planner.Plan(_config, new PlanRequest("sim/bench-model", NoModels, RequestPolicy.Default, RequestNeeds.None), out _);

    [Benchmark]
    public RoutePlan? AdHocModels() => _planner.Plan(_config, new PlanRequest(null, AdHocChain, RequestPolicy.Default, RequestNeeds.None), out _);
}
