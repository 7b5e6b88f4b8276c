using System.Runtime.InteropServices;
using Microsoft.Extensions.Time.Testing;
using Spillway.Bench.Yield.Accounting;
using Spillway.Bench.Yield.Fleet;
using Spillway.Bench.Yield.Report;
using Spillway.Bench.Yield.Workload;
using Spillway.Core.Configuration;
using Spillway.Core.Providers;
using Spillway.Simulator;

namespace Spillway.Bench.Yield;

/// <summary>
/// The whole run: start the simulators and the gateway on one fake clock, give each simulated free tier exactly the
/// quota the config knows, send the workload, then count from the clients' answers, the simulators' recorded calls
/// and the gateway's ledger, and print the table.
/// </summary>
internal static class YieldBench
{
    // Every run is bounded; this bounds the whole, whatever hangs.
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(5);

    // 09:00 UTC is 01:00 in Los Angeles: a run of up to two hours stays inside one UTC day and one Pacific day.
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = YieldOptions.Parse(args, out var error);
        if (options is null)
        {
            await Console.Error.WriteLineAsync($"Spillway.Bench.Yield: {error}\n{YieldOptions.Usage}");
            return 2;
        }

        using var limit = new CancellationTokenSource(RunLimit);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            limit.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var token = limit.Token;

        var clock = new FakeTimeProvider(Start);
        var members = BenchFleet.Of(options);
        var providers = members.Select(m => m.Preset is null
            ? new SimulatedProvider(m.Id, m.Style) { Models = [m.Model] }
            : new SimulatedProvider(m.Id, m.Style)).ToList();
        await using var simulator = await ProviderSimulator.StartAsync(providers, clock, token);
        var config = FleetConfig.Load(members, simulator);
        foreach (var member in members)
        {
            // The simulated free tier is exactly what the config knows (or the hidden limit it does not know); the
            // paid key has no quota.
            var limits = FleetConfig.TrueLimits(config, member);
            simulator[member.Id].RequestsPerMinute = limits.Rpm;
            simulator[member.Id].RequestsPerDay = limits.Rpd;
        }

        var started = TimeProvider.System.GetTimestamp();
        await using var gateway = await GatewayHost.StartAsync(config, clock, token);
        var requests = await SteadyClients.RunAsync(gateway.Address, BenchFleet.Alias, options.Clients, options.Sequential, options.Minutes * 60, clock, token);
        var wallClock = TimeProvider.System.GetElapsedTime(started);
        var ledger = LedgerTally.Of(await gateway.StopAndReadLedgerAsync(token));

        var result = new YieldResult(
            options,
            Start,
            wallClock,
            requests,
            [.. members.Select(member => Row(member, config, simulator, requests, ledger))],
            ledger.Requests);
        var table = YieldTable.Render(result);
        Console.WriteLine(table);
        if (options.OutputFile is not null)
        {
            await File.WriteAllTextAsync(options.OutputFile, table, token);
        }

        return 0;
    }

    private static ProviderRow Row(
        FleetMember member, SpillwayConfig config, ProviderSimulator simulator, IReadOnlyList<RequestOutcome> requests, LedgerTally ledger)
    {
        // Capacity and spent-key calls are counted against what the simulator enforces: for a hidden limit, the
        // calls the gateway made before it learned it are calls to a spent key.
        var limits = FleetConfig.TrueLimits(config, member);
        var sendTimes = requests.Select(r => r.SentAt);
        var callTimes = simulator[member.Id].CallsFor(member.Secret).Select(call => call.Time);
        return new ProviderRow(
            member,
            FleetConfig.KnownLimits(config, member),
            member.Tier == KeyTier.Free ? FreeCapacity.Of(limits, sendTimes) : null,
            requests.Count(r => r.Served && r.Route!.StartsWith(member.Id + "/", StringComparison.Ordinal)),
            KeyAudit.Of(new KnownQuota(limits), callTimes),
            ledger.CallsTo(member.KeyId),
            ledger.LimitedAt(member.KeyId));
    }
}
