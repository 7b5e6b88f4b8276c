using Spillway.Bench.Load.Measure;
using Spillway.Bench.Load.Report;
using Spillway.Bench.Load.Targets;

namespace Spillway.Bench.Load;

/// <summary>The fixed sequence of runs on one target: warm-up, throughput, latency, streaming, first event, RSS.</summary>
internal static class TargetMeasurement
{
    // A fresh .NET process keeps JIT-compiling (tier-1 with PGO) for 15 to 20 s of load on two busy cores: a
    // 3 s warm-up left Spillway at half its steady throughput. 12 s of requests and 4 s of streams settle it.
    private static readonly TimeSpan WarmupDuration = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan StreamWarmupDuration = TimeSpan.FromSeconds(4);

    public static async Task<TargetResult> RunAsync(
        RunningTarget target, bool isSpillway, BenchOptions options, CancellationToken cancellationToken)
    {
        var logs = Path.Combine(options.WorkDirectory, "wrk");
        Directory.CreateDirectory(logs);
        string Log(string run) => Path.Combine(logs, $"{Slugs.Of(target.Name)}-{run}.txt");

        // Tiered JIT and PGO settle during the warm-up, so the measured runs see the steady state.
        Progress(target, "warm-up");
        await Wrk.RunAsync(target, stream: false, 32, WarmupDuration, Log("warmup"), cancellationToken);
        await Wrk.RunAsync(target, stream: true, 32, StreamWarmupDuration, Log("warmup-stream"), cancellationToken);

        Progress(target, "32 connections");
        var cpuBefore = target.Process?.CpuTime();
        var throughput = await Wrk.RunAsync(target, stream: false, 32, options.Duration, Log("c32"), cancellationToken);
        var cpuAfter = target.Process?.CpuTime();

        Progress(target, "1 connection");
        var latency = await Wrk.RunAsync(target, stream: false, 1, options.Duration, Log("c1"), cancellationToken);

        Progress(target, "32 streams");
        var streams = await Wrk.RunAsync(target, stream: true, 32, options.Duration, Log("c32-stream"), cancellationToken);

        Progress(target, "first event");
        var firstEvent = await FirstEventProbe.RunAsync(target, options.ProbeCount, cancellationToken);

        foreach (var (run, result) in new[] { ("32 connections", throughput), ("1 connection", latency), ("32 streams", streams) })
        {
            if (result.Errors > 0 || result.Requests == 0)
            {
                throw new InvalidOperationException(
                    $"{target.Name}: the {run} run had {result.Errors} errors in {result.Requests} requests; see {logs}");
            }
        }

        return new TargetResult
        {
            Name = target.Name,
            IsSpillway = isSpillway,
            Throughput = throughput,
            Latency = latency,
            StreamThroughput = streams,
            FirstEvent = firstEvent,
            PeakRssBytes = target.Process?.PeakRssBytes(),
            CpuUsPerRequest = cpuBefore is { } before && cpuAfter is { } after
                ? (after - before).TotalMicroseconds / throughput.Requests
                : null,
        };
    }

    private static void Progress(RunningTarget target, string step) =>
        Console.Error.WriteLine($"  {target.Name}: {step}");
}
