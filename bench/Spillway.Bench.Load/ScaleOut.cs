using Spillway.Bench.Load.Measure;
using Spillway.Bench.Load.Report;
using Spillway.Bench.Load.Targets;

namespace Spillway.Bench.Load;

/// <summary>
/// Three Spillway instances (JIT, the one-step alias) over one Redis and one PostgreSQL, each with its own port and
/// data folder, loaded at once by three wrk runs whose connections add up to 32. On a machine with fewer cores than
/// processes they share the same cores: this shows that the shared stores hold up under load from several instances
/// and what they cost, not how throughput scales.
/// </summary>
internal static class ScaleOut
{
    public const string Id = "redis-x3";
    public const string Name = "spillway x3 (one step, redis + postgres)";

    /// <summary>32 connections in all, as the single rows' throughput run.</summary>
    public static readonly int[] Connections = [11, 11, 10];

    private static readonly TimeSpan WarmupDuration = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan RewarmDuration = TimeSpan.FromSeconds(2);

    public static async Task<ScaleOutResult> RunAsync(
        BenchOptions options, Uri upstreamRoot, SharedStoresOnDemand storesOnDemand, CancellationToken cancellationToken)
    {
        await Console.Error.WriteLineAsync($"-- {Name}");
        var targets = new List<RunningTarget>();
        try
        {
            var stores = await storesOnDemand.GetAsync();
            for (var i = 0; i < Connections.Length; i++)
            {
                targets.Add(await SpillwayLauncher.StartAsync(
                    $"{Name} #{i + 1}", options.SpillwayExecutable, upstreamRoot, SpillwayLauncher.OneStepAlias,
                    options.WorkDirectory, cancellationToken, stores));
            }

            var logs = Path.Combine(options.WorkDirectory, "wrk");
            Directory.CreateDirectory(logs);
            Task<WrkResult[]> AllAsync(TimeSpan duration, string phase) => Task.WhenAll(targets.Select((target, i) => Wrk.RunAsync(
                target, stream: false, Connections[i], duration, Path.Combine(logs, $"{Slugs.Of(target.Name)}-{phase}.txt"), cancellationToken)));

            // Each instance warms up alone, as every single target does: three fresh processes sharing the cores
            // would each still be JIT-compiling after a shared warm-up of the same length.
            foreach (var target in targets)
            {
                await Console.Error.WriteLineAsync($"  {target.Name}: warm-up");
                await Wrk.RunAsync(target, stream: false, 32, WarmupDuration, Path.Combine(logs, $"{Slugs.Of(target.Name)}-warmup.txt"), cancellationToken);
            }

            await Console.Error.WriteLineAsync($"  {Name}: 32 connections over three instances");
            var sample = await stores.WatchAsync(() => AllAsync(RewarmDuration, "c32-monitored"), cancellationToken);
            await AllAsync(RewarmDuration, "c32-rewarm");
            var redisBefore = await stores.ReadStatsAsync(cancellationToken);
            var postgresBefore = stores.PostgresCpuTime();
            var cpuBefore = targets.Select(t => t.Process!.CpuTime()).ToArray();
            var results = await AllAsync(options.Duration, "c32");
            var cpu = targets.Select((t, i) => (t.Process!.CpuTime() - cpuBefore[i]).TotalMicroseconds).ToArray();
            var redis = (await stores.ReadStatsAsync(cancellationToken)).Since(redisBefore);
            var postgres = stores.PostgresCpuTime() - postgresBefore;
            foreach (var (result, i) in results.Select((r, i) => (r, i)))
            {
                if (result.Errors > 0 || result.Requests == 0)
                {
                    throw new InvalidOperationException($"instance #{i + 1} had {result.Errors} errors in {result.Requests} requests");
                }
            }

            return new ScaleOutResult
            {
                Instances = [.. results.Select((r, i) => new ScaleOutInstance(Connections[i], r, cpu[i] / r.Requests))],
                Redis = redis,
                PostgresCpu = postgres,
                RedisSample = sample,
            };
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"  {Name}: failed: {ex.Message}");
            return new ScaleOutResult { Skipped = "failed: " + ex.Message };
        }
        finally
        {
            foreach (var target in targets)
            {
                await target.DisposeAsync();
            }
        }
    }
}
