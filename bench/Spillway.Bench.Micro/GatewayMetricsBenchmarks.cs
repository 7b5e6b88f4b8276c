using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Spillway.Core.Chat;
using Spillway.Core.Ledger;
using Spillway.Core.Telemetry;

namespace Spillway.Bench.Micro;

/// <summary>
/// What the metrics cost one request: <see cref="GatewayMetrics.Record"/> of its ledger entry while the OpenTelemetry
/// SDK listens (as in the gateway, which always keeps metrics for <c>/metrics</c>), for a request served by its first
/// route and for one that fell back past a rate-limited key. The baseline records into a meter nobody listens to.
/// </summary>
[MemoryDiagnoser]
public class GatewayMetricsBenchmarks
{
    private static readonly LedgerEntry Served = new()
    {
        Id = "req_bench",
        Time = DateTimeOffset.UnixEpoch,
        ClientFormat = "openai",
        Model = "free-first",
        Route = "groq/llama-3.3-70b-versatile",
        Status = 200,
        Stream = false,
        Attempts = [new AttemptRecord("groq/llama-3.3-70b-versatile", "groq-1", 200, Outcomes.Ok, 180)],
        Usage = new TokenUsage(20, 10),
        CostUsd = 0m,
        SavedUsd = 0.000012m,
        LatencyMs = 181,
    };

    private static readonly LedgerEntry FellBack = Served with
    {
        Route = "openai/gpt-4o-mini",
        Attempts =
        [
            new AttemptRecord("gemini/gemini-2.5-flash", "gemini-1", null, Outcomes.SkippedCooldown, 0),
            new AttemptRecord("groq/llama-3.3-70b-versatile", "groq-1", 429, "rate_limited", 40, "groq: rate limit"),
            new AttemptRecord("openai/gpt-4o-mini", "openai-1", 200, Outcomes.Ok, 300),
        ],
        CostUsd = 0.0000093m,
        SavedUsd = null,
    };

    private Meter? _listened;
    private Meter? _unlistened;
    private MeterProvider? _provider;
    private GatewayMetrics? _metrics;
    private GatewayMetrics? _silent;

    [GlobalSetup]
    public void Setup()
    {
        _listened = new Meter(GatewayTelemetry.Name);
        _unlistened = new Meter("Spillway.Bench.Unlistened");
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(GatewayTelemetry.Name)
            .AddReader(new BaseExportingMetricReader(new NoExport()))
            .Build();
        _metrics = new GatewayMetrics(_listened, static name => name == "free-first");
        _silent = new GatewayMetrics(_unlistened, static name => name == "free-first");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider?.Dispose();
        _listened?.Dispose();
        _unlistened?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void NobodyListens() => _silent!.Record(Served);

    [Benchmark]
    public void ServedFirstRoute() => _metrics!.Record(Served);

    [Benchmark]
    public void FellBackTwice() => _metrics!.Record(FellBack);

    /// <summary>A reader whose exports go nowhere: the measurements are aggregated as for a scrape.</summary>
    private sealed class NoExport : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
    }
}
