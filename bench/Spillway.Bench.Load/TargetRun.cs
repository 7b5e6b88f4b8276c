using Spillway.Bench.Load.Measure;
using Spillway.Bench.Load.Report;
using Spillway.Bench.Load.Targets;

namespace Spillway.Bench.Load;

/// <summary>One target through the run: its process (once started), what has been measured so far, or why it failed.</summary>
internal sealed class TargetRun : IAsyncDisposable
{
    public TargetRun(TargetPlan plan) => Plan = plan;

    public TargetPlan Plan { get; }

    public string Name => Plan.Name;

    public RunningTarget? Target { get; set; }

    /// <summary>Why the target is not (or no longer) measured: left out, or failed.</summary>
    public string? Stopped { get; set; }

    /// <summary>Started, and nothing has failed yet.</summary>
    public bool IsLive => Target is not null && Stopped is null;

    /// <summary>Every 32-connection round, in the order taken; <see cref="Throughput"/> is the median one.</summary>
    public List<ThroughputRound> ThroughputRounds { get; } = [];

    public WrkResult? Throughput { get; set; }

    public double? CpuUsPerRequest { get; set; }

    /// <summary>What Redis did during the 32-connection run, for a target over the shared stores.</summary>
    public RedisStats? RedisDuringThroughput { get; set; }

    /// <summary>PostgreSQL's CPU time during the 32-connection run, for a target over the shared stores.</summary>
    public TimeSpan? PostgresCpuDuringThroughput { get; set; }

    /// <summary>Which Redis commands were sent and which ran inside scripts, over the run before the 32-connection one.</summary>
    public RedisSample? RedisSample { get; set; }

    public WrkResult? Latency { get; set; }

    public WrkResult? StreamThroughput { get; set; }

    public FirstEventResult? FirstEvent { get; set; }

    public long? PeakRssBytes { get; set; }

    public TargetResult ToResult() => Stopped is not null
        ? TargetResult.Skip(Name, Stopped, Plan.IsSpillway) with { EmbeddedTwin = Plan.EmbeddedTwin }
        : new TargetResult
        {
            Name = Name,
            IsSpillway = Plan.IsSpillway,
            IsNative = Plan.IsNative,
            EmbeddedTwin = Plan.EmbeddedTwin,
            RedisDuringThroughput = RedisDuringThroughput,
            PostgresCpuDuringThroughput = PostgresCpuDuringThroughput,
            RedisSample = RedisSample,
            StartupMs = Target?.StartupTime?.TotalMilliseconds,
            Throughput = Throughput,
            ThroughputRounds = [.. ThroughputRounds.Select(r => r.Result.RequestsPerSecond)],
            CpuUsPerRequest = CpuUsPerRequest,
            Latency = Latency,
            StreamThroughput = StreamThroughput,
            FirstEvent = FirstEvent,
            PeakRssBytes = PeakRssBytes,
        };

    public async ValueTask DisposeAsync()
    {
        if (Target is not null)
        {
            await Target.DisposeAsync();
        }
    }
}
