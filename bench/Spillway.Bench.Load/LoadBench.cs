using System.Runtime.InteropServices;
using Spillway.Bench.Load.Measure;
using Spillway.Bench.Load.Report;
using Spillway.Bench.Load.Targets;
using Spillway.Bench.Load.Upstream;

namespace Spillway.Bench.Load;

/// <summary>
/// The whole run: start the simulated upstream, then measure each target in turn (one proxy process alive at a
/// time, so none idles on the cores another is measured on), and print the table.
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
        var results = new List<TargetResult>();
        foreach (var plan in Plans(options, upstream))
        {
            await Console.Error.WriteLineAsync($"-- {plan.Name}");
            if (plan.Skip is not null)
            {
                results.Add(TargetResult.Skip(plan.Name, plan.Skip, plan.IsSpillway));
                continue;
            }

            try
            {
                await using var target = await plan.Start(token);
                if (plan.Prime is not null)
                {
                    await plan.Prime(target, token);
                }

                results.Add(await TargetMeasurement.RunAsync(target, plan.IsSpillway, options, token));
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                // One target that fails (a peer that cannot stream, a proxy that errors under load) is reported in
                // the table; the others are still measured.
                await Console.Error.WriteLineAsync($"  {plan.Name}: failed: {ex.Message}");
                results.Add(TargetResult.Skip(plan.Name, "failed: " + ex.Message, plan.IsSpillway));
            }
        }

        var table = ResultTable.Render(results, options, upstream.SpentCalls, loadBefore, MachineLoad.Read());
        Console.WriteLine(table);
        if (options.OutputFile is not null)
        {
            await File.WriteAllTextAsync(options.OutputFile, table, token);
        }

        return 0;
    }

    private static IEnumerable<TargetPlan> Plans(BenchOptions options, UpstreamServer upstream)
    {
        var work = options.WorkDirectory;
        yield return new TargetPlan(ResultTable.DirectName, false, _ => Task.FromResult(new RunningTarget
        {
            Name = ResultTable.DirectName,
            ChatUrl = new Uri(upstream.Root, "/v1/chat/completions"),
            Model = "bench-model",
            Headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["Authorization"] = "Bearer bench-key" },
        }));

        const string oneStep = "spillway (one step)";
        yield return new TargetPlan(oneStep, true, token => SpillwayLauncher.StartAsync(
            oneStep, options.SpillwayExecutable, upstream.Root, SpillwayLauncher.OneStepAlias, work, token));

        const string cooled = "spillway (cooled chain)";
        yield return new TargetPlan(
            cooled,
            true,
            token => SpillwayLauncher.StartAsync(cooled, options.SpillwayExecutable, upstream.Root, SpillwayLauncher.CooledChainAlias, work, token),
            CooldownPrimer.PrimeAsync);

        yield return new TargetPlan(ResultTable.YarpName, false, token => YarpLauncher.StartAsync(ResultTable.YarpName, upstream.Root, work, token));

        var noPortkey = PortkeyLauncher.Unavailable(options.PeersDirectory);
        yield return new TargetPlan(
            ResultTable.PortkeyName,
            false,
            token => PortkeyLauncher.StartAsync(ResultTable.PortkeyName, options.PeersDirectory!, upstream.Root, work, token),
            Skip: noPortkey);
    }
}
