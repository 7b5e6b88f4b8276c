using Spillway.Bench.Load.Measure;

namespace Spillway.Bench.Load;

/// <summary>
/// The measuring, phase by phase across every target: warm-up, throughput, latency, streaming, first event, RSS.
/// </summary>
/// <remarks>
/// Phases, not targets, are the outer loop: all the 32-connection runs are taken within a minute of each other,
/// then all the 1-connection runs, and so on, so load that comes and goes on the machine skews a phase's rows
/// alike instead of one target's row. The proxies not being measured sit idle meanwhile.
/// </remarks>
internal static class TargetMeasurement
{
    // A fresh .NET process keeps JIT-compiling (tier-1 with PGO) for a while under load on two busy cores: a 3 s
    // warm-up left Spillway at half its steady throughput. With the telemetry, dashboard and shared-store code it
    // now takes 20 to 30 s (8 s wrk rounds on one process: 3.0k, 5.8k, 8.7k, 8.4k, 8.2k, 8.7k rps), so 12 s measured a
    // JIT build still compiling. 24 s of requests and 4 s of streams settle it; the native binary needs none of it.
    private static readonly TimeSpan WarmupDuration = TimeSpan.FromSeconds(24);
    private static readonly TimeSpan StreamWarmupDuration = TimeSpan.FromSeconds(4);

    // Before each measured run, a short run at the same concurrency: the target has been idle while the others
    // were measured, and its thread pool grows back to the load here rather than inside the measurement.
    private static readonly TimeSpan RewarmDuration = TimeSpan.FromSeconds(2);

    // The machine's speed drifts by a third within a minute when it is a VM among others (one run measured the same
    // build at 10.9k rps, the next at 15.5k), so one 8 s sample per target made the ratios between rows swing as much.
    // The 32-connection run is taken in rounds, target after target, and each row keeps its median round.
    private const int ThroughputRounds = 3;

    public static async Task RunAsync(IReadOnlyList<TargetRun> runs, BenchOptions options, CancellationToken cancellationToken)
    {
        var logs = Path.Combine(options.WorkDirectory, "wrk");
        Directory.CreateDirectory(logs);
        string Log(TargetRun run, string name) => Path.Combine(logs, $"{Slugs.Of(run.Name)}-{name}.txt");

        await EachAsync(runs, "warm-up", async run =>
        {
            await Wrk.RunAsync(run.Target!, stream: false, 32, WarmupDuration, Log(run, "warmup"), cancellationToken);
            await Wrk.RunAsync(run.Target!, stream: true, 32, StreamWarmupDuration, Log(run, "warmup-stream"), cancellationToken);
        });

        // MONITOR slows Redis down: it watches a short run of its own before the measured rounds, never one of them.
        await EachAsync([.. runs.Where(r => r.Target?.Stores is not null)], "Redis commands under MONITOR", async run =>
            run.RedisSample = await run.Target!.Stores!.WatchAsync(
                async () => [await Wrk.RunAsync(run.Target, stream: false, 32, RewarmDuration, Log(run, "c32-monitored"), cancellationToken)],
                cancellationToken));

        for (var round = 1; round <= ThroughputRounds; round++)
        {
            var name = $"c32-r{round}";
            await EachAsync(runs, $"32 connections, round {round} of {ThroughputRounds}", async run =>
            {
                var stores = run.Target!.Stores;
                await Wrk.RunAsync(run.Target, stream: false, 32, RewarmDuration, Log(run, name + "-rewarm"), cancellationToken);
                var redisBefore = stores is null ? null : await stores.ReadStatsAsync(cancellationToken);
                var postgresBefore = stores?.PostgresCpuTime();
                var cpuBefore = run.Target.Process?.CpuTime();
                var result = Checked(run, "32 connections",
                    await Wrk.RunAsync(run.Target, stream: false, 32, options.Duration, Log(run, name), cancellationToken));
                double? cpu = cpuBefore is { } before && run.Target.Process?.CpuTime() is { } after
                    ? (after - before).TotalMicroseconds / result.Requests
                    : null;
                var redis = stores is not null && redisBefore is not null
                    ? (await stores.ReadStatsAsync(cancellationToken)).Since(redisBefore)
                    : null;
                run.ThroughputRounds.Add(new ThroughputRound(result, cpu, redis, stores?.PostgresCpuTime() - postgresBefore));
            });
        }

        foreach (var run in runs.Where(r => r.ThroughputRounds.Count > 0))
        {
            // The median round by throughput, with the CPU, Redis and PostgreSQL figures of that same round.
            var median = run.ThroughputRounds.OrderBy(r => r.Result.RequestsPerSecond).ElementAt(run.ThroughputRounds.Count / 2);
            run.Throughput = median.Result;
            run.CpuUsPerRequest = median.CpuUsPerRequest;
            run.RedisDuringThroughput = median.Redis;
            run.PostgresCpuDuringThroughput = median.PostgresCpu;
        }

        await EachAsync(runs, "1 connection", async run =>
        {
            await Wrk.RunAsync(run.Target!, stream: false, 1, RewarmDuration, Log(run, "c1-rewarm"), cancellationToken);
            run.Latency = Checked(run, "1 connection",
                await Wrk.RunAsync(run.Target!, stream: false, 1, options.Duration, Log(run, "c1"), cancellationToken));
        });

        await EachAsync(runs, "32 streams", async run =>
        {
            await Wrk.RunAsync(run.Target!, stream: true, 32, RewarmDuration, Log(run, "c32-stream-rewarm"), cancellationToken);
            run.StreamThroughput = Checked(run, "32 streams",
                await Wrk.RunAsync(run.Target!, stream: true, 32, options.Duration, Log(run, "c32-stream"), cancellationToken));
        });

        await EachAsync(runs, "first event", async run =>
            run.FirstEvent = await FirstEventProbe.RunAsync(run.Target!, options.ProbeCount, cancellationToken));

        // VmHWM is the high-water mark of the process's whole life, so after every phase is the peak under load.
        await EachAsync(runs, "peak RSS", run =>
        {
            run.PeakRssBytes = run.Target!.Process?.PeakRssBytes();
            return Task.CompletedTask;
        });

        async Task EachAsync(IReadOnlyList<TargetRun> all, string phase, Func<TargetRun, Task> measure)
        {
            foreach (var run in all.Where(r => r.IsLive))
            {
                await Console.Error.WriteLineAsync($"  {run.Name}: {phase}");
                try
                {
                    await measure(run);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // A target that fails (a peer that cannot stream, a proxy that errors under load) is reported in
                    // the table; the others are still measured.
                    await Console.Error.WriteLineAsync($"  {run.Name}: failed: {ex.Message}");
                    run.Stopped = "failed: " + ex.Message;
                }
            }
        }
    }

    /// <summary>A run with errors cannot pass for a fast one.</summary>
    private static WrkResult Checked(TargetRun run, string phase, WrkResult result) =>
        result.Errors > 0 || result.Requests == 0
            ? throw new InvalidOperationException($"the {phase} run had {result.Errors} errors in {result.Requests} requests")
            : result;
}
