using System.Globalization;
using System.Text;
using Spillway.Bench.Load.Measure;

namespace Spillway.Bench.Load.Report;

/// <summary>
/// The one table the load benchmark prints: a row per target with its numbers, its added latency over direct and
/// its throughput as a share of YARP's and a multiple of Portkey's, then the issue's targets checked on the Spillway rows.
/// </summary>
internal static class ResultTable
{
    public const string DirectName = "direct";
    public const string OneStepName = "spillway (one step)";
    public const string YarpName = "yarp 2.3.0";
    public const string PortkeyName = "portkey " + Targets.PortkeyLauncher.Version;

    // The issue's targets.
    private const double MaxAddedP50Ms = 0.15;
    private const double MinShareOfYarp = 0.80;
    private const double MinMultipleOfPortkey = 10;
    private const double MaxAddedFirstEventMs = 0.5;
    private const double MaxPeakRssMb = 100;
    private const double MaxNativeStartupMs = 200;
    private const double MinShareOfEmbedded = 0.70;

    private static readonly string[] Headers =
    [
        "target", "rps @32c", "vs yarp", "vs portkey", "vs embedded", "p50 @1c ms", "p99 @1c ms", "+p50 ms", "+p99 ms",
        "stream rps @32c", "1st event p50 ms", "+1st event ms", "peak RSS MB", "CPU us/req", "start ms",
    ];

    public static string Render(
        IReadOnlyList<TargetResult> results,
        ScaleOutResult? scaleOut,
        BenchOptions options,
        long spentCalls,
        string loadBefore,
        string loadAfter)
    {
        var direct = Find(results, DirectName);
        var yarp = Find(results, YarpName);
        var portkey = Find(results, PortkeyName);
        var embedded = Find(results, OneStepName);
        var rows = results.Select(r => Row(r, direct, yarp, portkey, TwinOf(results, r))).ToList();

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Spillway load benchmark: {Environment.ProcessorCount} cores, loopback, wrk -t1, {options.Duration.TotalSeconds:0} s per run, " +
            $"first event over {options.ProbeCount} sequential streams; upstream stream = 10 words 1 ms apart");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Load average (1/5/15 min) before: {loadBefore}, after: {loadAfter}. Other work on the machine shows here and skews every row.");
        AppendTable(text, Headers, rows);
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"'+' columns are over direct; 'vs embedded' is the throughput of a row over Redis + PostgreSQL as a share of the row with the same config on the embedded stores (its name without ', redis + postgres'); " +
            $"'start ms' is from the process's start to its first /healthz answer. " +
            $"Upstream calls to the spent (429) step: {spentCalls} (one per cooled-chain row = cooled once, then skipped without a call).");
        AppendRounds(text, results);
        foreach (var skipped in results.Where(r => r.Skipped is not null))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{skipped.Name}: not measured, {skipped.Skipped}");
        }

        AppendRedis(text, results, scaleOut, embedded);

        text.AppendLine();
        text.AppendLine("Targets:");
        var nameWidth = results.Where(r => r.IsSpillway).Select(r => r.Name.Length).DefaultIfEmpty(0).Max();
        foreach (var spillway in results.Where(r => r.IsSpillway))
        {
            AppendChecks(text, nameWidth, spillway, direct, yarp, portkey, TwinOf(results, spillway));
        }

        return text.ToString();
    }

    /// <summary>Every 32-connection round's rps, so the spread behind each median shows.</summary>
    private static void AppendRounds(StringBuilder text, IReadOnlyList<TargetResult> results)
    {
        var measured = results.Where(r => r.ThroughputRounds.Count > 0).ToList();
        if (measured.Count == 0)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine("rps @32c is the median of rounds taken target after target; every round, in order:");
        foreach (var r in measured)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {r.Name}: {string.Join(" / ", r.ThroughputRounds.Select(rps => Number(rps, "0")))}");
        }
    }

    /// <summary>Redis' commands, and Redis' and PostgreSQL's CPU, per request for the rows over the shared stores and the three-instance run.</summary>
    private static void AppendRedis(StringBuilder text, IReadOnlyList<TargetResult> results, ScaleOutResult? scaleOut, TargetResult? embedded)
    {
        var shared = results.Where(r => r.RedisDuringThroughput is not null && r.Throughput is not null).ToList();
        if (shared.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Redis commands and the shared stores' CPU per request at 32 connections (INFO commandstats counts a script's own commands too; MONITOR tells them apart):");
            foreach (var r in shared)
            {
                AppendCommands(text, r.Name, r.RedisDuringThroughput!, r.PostgresCpuDuringThroughput, r.Throughput!.Requests, r.RedisSample);
            }
        }

        if (scaleOut is null)
        {
            return;
        }

        text.AppendLine();
        if (scaleOut.Skipped is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{ScaleOut.Name}: not measured, {scaleOut.Skipped}");
            return;
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"{ScaleOut.Name}: three processes on separate ports over one Redis + PostgreSQL, loaded at once by three wrk runs " +
            $"({string.Join(" + ", ScaleOut.Connections)} = {ScaleOut.Connections.Sum()} connections). " +
            $"They share the machine's {Environment.ProcessorCount} cores: this shows the shared stores under load and their overhead, not scaling.");
        string[] headers = ["instance", "connections", "rps", "p50 ms", "p99 ms", "CPU us/req"];
        var rows = scaleOut.Instances.Select((i, n) => new[]
        {
            $"#{n + 1}",
            i.Connections.ToString(CultureInfo.InvariantCulture),
            Number(i.Throughput.RequestsPerSecond, "0"),
            Number(i.Throughput.P50Us / 1000, "0.000"),
            Number(i.Throughput.P99Us / 1000, "0.000"),
            Number(i.CpuUsPerRequest, "0"),
        }).ToList();
        rows.Add(["sum", ScaleOut.Connections.Sum().ToString(CultureInfo.InvariantCulture), Number(scaleOut.RequestsPerSecond, "0"), "-", "-", "-"]);
        AppendTable(text, headers, rows);
        var single = results.FirstOrDefault(r => r.SharesStores && r.Skipped is null && r.Throughput is not null);
        var ofSingle = single is null
            ? string.Empty
            : $", {Number(Ratio(scaleOut.RequestsPerSecond, single.Throughput!.RequestsPerSecond) * 100, "0.0", " %")} of '{single.Name}' @32c";
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Summed rps: {Number(Ratio(scaleOut.RequestsPerSecond, embedded?.Throughput?.RequestsPerSecond) * 100, "0.0", " %")} of '{OneStepName}' @32c{ofSingle}.");
        if (scaleOut.Redis is { } redis)
        {
            AppendCommands(text, ScaleOut.Name, redis, scaleOut.PostgresCpu, scaleOut.Requests, scaleOut.RedisSample);
        }
    }

    private static void AppendCommands(StringBuilder text, string name, RedisStats redis, TimeSpan? postgresCpu, long requests, RedisSample? sample)
    {
        if (requests <= 0)
        {
            return;
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  {name}:");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"    run by Redis (INFO over the measured run, {requests} requests): {PerRequest(redis.Calls, requests)}; " +
            $"Redis CPU {redis.CpuSeconds * 1e6 / requests:0.0} us per request");
        if (postgresCpu is { } postgres)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"    PostgreSQL CPU (all its processes, /proc): {postgres.TotalMicroseconds / requests:0.0} us per request");
        }

        if (sample is { Requests: > 0 })
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"    sent by Spillway = round trips (MONITOR over a 2 s run of its own before it, {sample.Requests} requests; EVALSHA/5k = a script taking 5 keys): {PerRequest(sample.Sent, sample.Requests)}");
            text.AppendLine(CultureInfo.InvariantCulture,
                $"    of which run inside Lua scripts, no round trip of their own: {PerRequest(sample.InScripts, sample.Requests)}");
        }
    }

    /// <summary>EVALSHA, or EVALSHA/5k for a script taking 5 keys.</summary>
    private static string Command(string name) => name.IndexOf('/', StringComparison.Ordinal) is var cut and >= 0
        ? name[..cut].ToUpperInvariant() + name[cut..]
        : name.ToUpperInvariant();

    private static string PerRequest(IReadOnlyDictionary<string, long> calls, long requests)
    {
        var total = calls.Values.Sum();
        var each = calls
            .OrderByDescending(c => c.Value)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{Command(c.Key)} {(double)c.Value / requests:0.000}"));
        return string.Create(CultureInfo.InvariantCulture, $"{(double)total / requests:0.000} per request") +
            (total == 0 ? string.Empty : $" ({string.Join(", ", each)})");
    }

    private static void AppendChecks(
        StringBuilder text, int nameWidth, TargetResult spillway, TargetResult? direct, TargetResult? yarp, TargetResult? portkey, TargetResult? embedded)
    {
        void Check(string what, double? value, Func<double, bool> met, Func<double, string> show) =>
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {spillway.Name.PadRight(nameWidth)} {what,-36} {(value is { } v ? show(v) : "n/a"),10}  {(value is { } x ? (met(x) ? "met" : "MISSED") : "not measured")}");

        Check($"added p50 @1c <= {MaxAddedP50Ms:0.00} ms", Added(spillway.Latency?.P50Us, direct?.Latency?.P50Us) / 1000,
            v => v <= MaxAddedP50Ms, v => $"{v:0.000} ms");
        Check($"rps @32c >= {MinShareOfYarp:P0} of yarp", Ratio(spillway.Throughput?.RequestsPerSecond, yarp?.Throughput?.RequestsPerSecond),
            v => v >= MinShareOfYarp, v => $"{v:P1}");
        Check($"rps @32c >= {MinMultipleOfPortkey:0}x portkey", Ratio(spillway.Throughput?.RequestsPerSecond, portkey?.Throughput?.RequestsPerSecond),
            v => v >= MinMultipleOfPortkey, v => $"{v:0.0}x");
        Check($"first event <= {MaxAddedFirstEventMs:0.0} ms over direct", Added(spillway.FirstEvent?.P50Us, direct?.FirstEvent?.P50Us) / 1000,
            v => v <= MaxAddedFirstEventMs, v => $"{v:0.000} ms");
        Check($"peak RSS <= {MaxPeakRssMb:0} MB", spillway.PeakRssBytes / 1024.0 / 1024.0,
            v => v <= MaxPeakRssMb, v => $"{v:0.0} MB");
        if (spillway.SharesStores)
        {
            Check($"rps @32c >= {MinShareOfEmbedded:P0} of embedded", Ratio(spillway.Throughput?.RequestsPerSecond, embedded?.Throughput?.RequestsPerSecond),
                v => v >= MinShareOfEmbedded, v => $"{v:P1}");
        }

        if (spillway.IsNative)
        {
            Check($"start to /healthz <= {MaxNativeStartupMs:0} ms", spillway.StartupMs, v => v <= MaxNativeStartupMs, v => $"{v:0} ms");
        }
    }

    private static string[] Row(TargetResult r, TargetResult? direct, TargetResult? yarp, TargetResult? portkey, TargetResult? embedded)
    {
        if (r.Skipped is not null)
        {
            return [r.Name, .. Enumerable.Repeat("-", Headers.Length - 1)];
        }

        var rps = r.Throughput?.RequestsPerSecond;
        return
        [
            r.Name,
            Number(rps, "0"),
            Number(Ratio(rps, yarp?.Throughput?.RequestsPerSecond) * 100, "0.0", " %"),
            Number(Ratio(rps, portkey?.Throughput?.RequestsPerSecond), "0.0", "x"),
            r.SharesStores ? Number(Ratio(rps, embedded?.Throughput?.RequestsPerSecond) * 100, "0.0", " %") : "-",
            Number(r.Latency?.P50Us / 1000, "0.000"),
            Number(r.Latency?.P99Us / 1000, "0.000"),
            Number(Added(r.Latency?.P50Us, direct?.Latency?.P50Us) / 1000, "+0.000;-0.000"),
            Number(Added(r.Latency?.P99Us, direct?.Latency?.P99Us) / 1000, "+0.000;-0.000"),
            Number(r.StreamThroughput?.RequestsPerSecond, "0"),
            Number(r.FirstEvent?.P50Us / 1000, "0.000"),
            Number(Added(r.FirstEvent?.P50Us, direct?.FirstEvent?.P50Us) / 1000, "+0.000;-0.000"),
            Number(r.PeakRssBytes / 1024.0 / 1024.0, "0.0"),
            Number(r.CpuUsPerRequest, "0"),
            Number(r.StartupMs, "0"),
        ];
    }

    private static void AppendTable(StringBuilder text, string[] headers, List<string[]> rows)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        void Line(string[] cells) => text.AppendLine(
            "| " + string.Join(" | ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))) + " |");
        Line(headers);
        text.AppendLine("|" + string.Join("|", widths.Select((w, i) => i == 0 ? new string('-', w + 2) : new string('-', w + 1) + ":")) + "|");
        foreach (var row in rows)
        {
            Line(row);
        }
    }

    /// <summary>The embedded row a row over the shared stores is compared with.</summary>
    private static TargetResult? TwinOf(IReadOnlyList<TargetResult> results, TargetResult row) =>
        row.EmbeddedTwin is { } twin ? Find(results, twin) : null;

    private static TargetResult? Find(IReadOnlyList<TargetResult> results, string name) =>
        results.FirstOrDefault(r => r.Name == name && r.Skipped is null);

    private static double? Added(double? value, double? baseline) => value - baseline;

    private static double? Ratio(double? value, double? baseline) => baseline is > 0 ? value / baseline : null;

    private static string Number(double? value, string format, string unit = "") =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) + unit : "-";
}
