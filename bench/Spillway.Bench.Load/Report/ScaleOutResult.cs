using Spillway.Bench.Load.Measure;

namespace Spillway.Bench.Load.Report;

/// <summary>The three-instance run: each instance's share of the 32 connections, and Redis during it; or why it failed.</summary>
internal sealed record ScaleOutResult
{
    public IReadOnlyList<ScaleOutInstance> Instances { get; init; } = [];

    public RedisStats? Redis { get; init; }

    /// <summary>PostgreSQL's CPU time during the measured run (all its processes).</summary>
    public TimeSpan? PostgresCpu { get; init; }

    /// <summary>Which Redis commands were sent and which ran inside scripts (MONITOR over the run before the measured one).</summary>
    public RedisSample? RedisSample { get; init; }

    public string? Skipped { get; init; }

    public long Requests => Instances.Sum(i => i.Throughput.Requests);

    /// <summary>The three instances' requests per second, added up.</summary>
    public double RequestsPerSecond => Instances.Sum(i => i.Throughput.RequestsPerSecond);
}

/// <summary>One instance of the three: its connections, its wrk run, its own CPU time per request.</summary>
internal sealed record ScaleOutInstance(int Connections, WrkResult Throughput, double CpuUsPerRequest);
