using System.Runtime.InteropServices;
using Spillway.Bench.Load.Measure;
using Spillway.Bench.Load.Report;
using Spillway.Bench.Load.Targets;
using Spillway.Bench.Load.Upstream;

namespace Spillway.Bench.Load;

/// <summary>
/// The whole run: start the simulated upstream and every target, measure them phase by phase
/// (<see cref="TargetMeasurement"/>), stop them, and print the table.
/// </summary>
internal static class LoadBench
{
    // Every run is bounded; this bounds the whole, whatever hangs.
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(15);

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = BenchOptions.Parse(args, out var error);
        if (options is null)
        {
            await Console.Error.WriteLineAsync($"Spillway.Bench.Load: {error}\n{BenchOptions.Usage}");
            return 2;
        }

        if (Wrk.Unavailable() is { } noWrk)
        {
            await Console.Error.WriteLineAsync($"Spillway.Bench.Load: {noWrk}");
            return 2;
        }

        // Ctrl+C, SIGTERM (timeout(1), CI) and the run limit all cancel the run, so the proxy processes are killed
        // on the way out instead of being left listening.
        using var limit = new CancellationTokenSource(RunLimit);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            limit.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var token = limit.Token;
        var loadBefore = MachineLoad.Read();
        Directory.CreateDirectory(options.WorkDirectory);
        await Console.Error.WriteLineAsync($"work folder (configs, logs, raw wrk output): {options.WorkDirectory}");

        await using var upstream = await UpstreamServer.StartAsync(0, token);
        await using var stores = new SharedStoresOnDemand();
        var runs = Plans(options, upstream, stores).Select(plan => new TargetRun(plan)).ToList();
        try
        {
            foreach (var run in runs)
            {
                await StartAsync(run, token);
            }

            await TargetMeasurement.RunAsync(runs, options, token);
        }
        finally
        {
            foreach (var run in runs)
            {
                await run.DisposeAsync();
            }
        }

        // After the single targets are stopped, so the three instances share the cores with nothing idle of ours.
        var scaleOut = options.Selects(ScaleOut.Id)
            ? await ScaleOut.RunAsync(options, upstream.Root, stores, token)
            : null;

        var results = runs.Select(run => run.ToResult()).ToList();
        var table = ResultTable.Render(results, scaleOut, options, upstream.SpentCalls, loadBefore, MachineLoad.Read());
        Console.WriteLine(table);
        if (options.OutputFile is not null)
        {
            await File.WriteAllTextAsync(options.OutputFile, table, token);
        }

        return 0;
    }

    /// <summary>Starts (and primes) one target; one that cannot start is reported, and the others still run.</summary>
    private static async Task StartAsync(TargetRun run, CancellationToken cancellationToken)
    {
        await Console.Error.WriteLineAsync($"-- {run.Name}");
        if (run.Plan.Skip is not null)
        {
            run.Stopped = run.Plan.Skip;
            return;
        }

        try
        {
            run.Target = await run.Plan.Start(cancellationToken);
            if (run.Plan.Prime is not null)
            {
                await run.Plan.Prime(run.Target, cancellationToken);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"  {run.Name}: failed to start: {ex.Message}");
            run.Stopped = "failed to start: " + ex.Message;
        }
    }

    private static IEnumerable<TargetPlan> Plans(BenchOptions options, UpstreamServer upstream, SharedStoresOnDemand stores) =>
        AllPlans(options, upstream, stores).Where(plan => options.Selects(plan.Id));

    private static IEnumerable<TargetPlan> AllPlans(BenchOptions options, UpstreamServer upstream, SharedStoresOnDemand stores)
    {
        var work = options.WorkDirectory;
        yield return new TargetPlan("direct", ResultTable.DirectName, false, _ => Task.FromResult(new RunningTarget
        {
            Name = ResultTable.DirectName,
            ChatUrl = new Uri(upstream.Root, "/v1/chat/completions"),
            Model = "bench-model",
            Headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["Authorization"] = "Bearer bench-key" },
        }));

        const string oneStep = ResultTable.OneStepName;
        yield return new TargetPlan("one-step", oneStep, true, token => SpillwayLauncher.StartAsync(
            oneStep, options.SpillwayExecutable, upstream.Root, SpillwayLauncher.OneStepAlias, work, token));

        // The same, sending every span over OTLP/HTTP to a sink in the upstream's process (README "Observe it").
        const string tracedOneStep = "spillway (one step, traces on)";
        yield return new TargetPlan("traced-one-step", tracedOneStep, true, token => SpillwayLauncher.StartAsync(
            tracedOneStep, options.SpillwayExecutable, upstream.Root, SpillwayLauncher.OneStepAlias, work, token, traces: upstream.Root));

        // The same config as the row above, over the Redis and PostgreSQL the benchmark starts (README "Shared stores").
        const string sharedOneStep = "spillway (one step, redis + postgres)";
        yield return new TargetPlan("redis-one-step", sharedOneStep, true, async token => await SpillwayLauncher.StartAsync(
            sharedOneStep, options.SpillwayExecutable, upstream.Root, SpillwayLauncher.OneStepAlias, work, token, await stores.GetAsync()),
            EmbeddedTwin: oneStep);

        // One step again, to a key with a configured day limit it never reaches: nothing is unknown, so over Redis each
        // call is checked there before it is made (one awaited script), where the key above needs no such check.
        const string limitedOneStep = "spillway (one step, key with a limit)";
        yield return new TargetPlan("limited-one-step", limitedOneStep, true, token => SpillwayLauncher.StartAsync(
            limitedOneStep, options.SpillwayExecutable, upstream.Root, SpillwayLauncher.LimitedOneStepAlias, work, token));
        const string sharedLimitedOneStep = "spillway (one step, key with a limit, redis + postgres)";
        yield return new TargetPlan("redis-limited-one-step", sharedLimitedOneStep, true, async token => await SpillwayLauncher.StartAsync(
            sharedLimitedOneStep, options.SpillwayExecutable, upstream.Root, SpillwayLauncher.LimitedOneStepAlias, work, token, await stores.GetAsync()),
            EmbeddedTwin: limitedOneStep);

        const string cooled = "spillway (cooled chain)";
        yield return new TargetPlan(
            "cooled-chain",
            cooled,
            true,
            token => SpillwayLauncher.StartAsync(cooled, options.SpillwayExecutable, upstream.Root, SpillwayLauncher.CooledChainAlias, work, token),
            CooldownPrimer.PrimeAsync);

        if (options.NativeExecutable is { } native)
        {
            const string nativeOneStep = "spillway native (one step)";
            yield return new TargetPlan(
                "native-one-step",
                nativeOneStep,
                true,
                token => SpillwayLauncher.StartAsync(nativeOneStep, native, upstream.Root, SpillwayLauncher.OneStepAlias, work, token),
                IsNative: true);

            const string nativeCooled = "spillway native (cooled chain)";
            yield return new TargetPlan(
                "native-cooled-chain",
                nativeCooled,
                true,
                token => SpillwayLauncher.StartAsync(nativeCooled, native, upstream.Root, SpillwayLauncher.CooledChainAlias, work, token),
                CooldownPrimer.PrimeAsync,
                IsNative: true);
        }

        yield return new TargetPlan("yarp", ResultTable.YarpName, false, token => YarpLauncher.StartAsync(ResultTable.YarpName, upstream.Root, work, token));

        var noPortkey = PortkeyLauncher.Unavailable(options.PeersDirectory);
        yield return new TargetPlan(
            "portkey",
            ResultTable.PortkeyName,
            false,
            token => PortkeyLauncher.StartAsync(ResultTable.PortkeyName, options.PeersDirectory!, upstream.Root, work, token),
            Skip: noPortkey);
    }
}
