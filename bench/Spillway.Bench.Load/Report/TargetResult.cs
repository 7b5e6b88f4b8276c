using Spillway.Bench.Load.Measure;

namespace Spillway.Bench.Load.Report;

/// <summary>Everything measured on one target, or why it was not measured.</summary>
internal sealed record TargetResult
{
    public required string Name { get; init; }

    /// <summary>True for the Spillway rows, which the targets are checked on.</summary>
    public bool IsSpillway { get; init; }

    /// <summary>True for the Native AOT binary's rows, which the start-up target is checked on too.</summary>
    public bool IsNative { get; init; }

    /// <summary>For a Spillway target over Redis and PostgreSQL, the name of the embedded row with the same config it
    /// is checked against; null for the others.</summary>
    public string? EmbeddedTwin { get; init; }

    /// <summary>True for a Spillway target over Redis and PostgreSQL.</summary>
    public bool SharesStores => EmbeddedTwin is not null;

    /// <summary>What Redis did during the 32-connection run (commands, CPU); null for the others.</summary>
    public RedisStats? RedisDuringThroughput { get; init; }

    /// <summary>PostgreSQL's CPU time during the 32-connection run (all its processes); null for the others.</summary>
    public TimeSpan? PostgresCpuDuringThroughput { get; init; }

    /// <summary>Which Redis commands were sent and which ran inside scripts (MONITOR over the run before); null for the others.</summary>
    public RedisSample? RedisSample { get; init; }

    /// <summary>From the process's start to its first answer on /healthz, in milliseconds; null when not measured.</summary>
    public double? StartupMs { get; init; }

    /// <summary>Why the target was left out, or null when it ran.</summary>
    public string? Skipped { get; init; }

    /// <summary>Non-streamed requests at 32 connections.</summary>
    public WrkResult? Throughput { get; init; }

    /// <summary>The rps of every 32-connection round; <see cref="Throughput"/> is the median one.</summary>
    public IReadOnlyList<double> ThroughputRounds { get; init; } = [];

    /// <summary>Non-streamed requests at 1 connection.</summary>
    public WrkResult? Latency { get; init; }

    /// <summary>Streamed requests at 32 connections (each lasts the upstream's pacing, about 10 ms).</summary>
    public WrkResult? StreamThroughput { get; init; }

    public FirstEventResult? FirstEvent { get; init; }

    /// <summary>The proxy process's VmHWM after every run; null for the direct baseline.</summary>
    public long? PeakRssBytes { get; init; }

    /// <summary>The proxy process's CPU time per request during the 32-connection run.</summary>
    public double? CpuUsPerRequest { get; init; }

    public static TargetResult Skip(string name, string reason, bool isSpillway = false) =>
        new() { Name = name, Skipped = reason, IsSpillway = isSpillway };
}
