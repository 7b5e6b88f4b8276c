using System.Globalization;
using System.Text;

namespace Spillway.Bench.Load.Report;

/// <summary>
/// The one table the load benchmark prints: a row per target with its numbers, its added latency over direct and
/// its throughput as a share of YARP's and a multiple of Portkey's, then the targets checked on the Spillway rows.
/// </summary>
internal static class ResultTable
{
    public const string DirectName = "direct";
    public const string YarpName = "yarp 2.3.0";
    public const string PortkeyName = "portkey " + Targets.PortkeyLauncher.Version;

    // The targets.
    private const double MaxAddedP50Ms = 0.15;
    private const double MinShareOfYarp = 0.80;
    private const double MinMultipleOfPortkey = 10;
    private const double MaxAddedFirstEventMs = 0.5;
    private const double MaxPeakRssMb = 100;
    private const double MaxNativeStartupMs = 200;

    private static readonly string[] Headers =
    [
        "target", "rps @32c", "vs yarp", "vs portkey", "p50 @1c ms", "p99 @1c ms", "+p50 ms", "+p99 ms",
        "stream rps @32c", "1st event p50 ms", "+1st event ms", "peak RSS MB", "CPU us/req", "start ms",
    ];

    public static string Render(
        IReadOnlyList<TargetResult> results, BenchOptions options, long spentCalls, string loadBefore, string loadAfter)
    {
        var direct = Find(results, DirectName);
        var yarp = Find(results, YarpName);
        var portkey = Find(results, PortkeyName);
        var rows = results.Select(r => Row(r, direct, yarp, portkey)).ToList();

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Spillway load benchmark: {Environment.ProcessorCount} cores, loopback, wrk -t1, {options.Duration.TotalSeconds:0} s per run, " +
            $"first event over {options.ProbeCount} sequential streams; upstream stream = 10 words 1 ms apart");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Load average (1/5/15 min) before: {loadBefore}, after: {loadAfter}. Other work on the machine shows here and skews every row.");
        AppendTable(text, rows);
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"'+' columns are over direct; 'start ms' is from the process's start to its first /healthz answer. " +
            $"Upstream calls to the spent (429) step: {spentCalls} (one per cooled-chain row = cooled once, then skipped without a call).");
        foreach (var skipped in results.Where(r => r.Skipped is not null))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{skipped.Name}: not measured, {skipped.Skipped}");
        }

        text.AppendLine();
        text.AppendLine("Targets:");
        foreach (var spillway in results.Where(r => r.IsSpillway))
        {
            AppendChecks(text, spillway, direct, yarp, portkey);
        }

        return text.ToString();
    }

    private static void AppendChecks(StringBuilder text, TargetResult spillway, TargetResult? direct, TargetResult? yarp, TargetResult? portkey)
    {
        void Check(string what, double? value, Func<double, bool> met, Func<double, string> show) =>
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {spillway.Name,-24} {what,-36} {(value is { } v ? show(v) : "n/a"),10}  {(value is { } x ? (met(x) ? "met" : "MISSED") : "not measured")}");

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
        if (spillway.IsNative)
        {
            Check($"start to /healthz <= {MaxNativeStartupMs:0} ms", spillway.StartupMs, v => v <= MaxNativeStartupMs, v => $"{v:0} ms");
        }
    }

    private static string[] Row(TargetResult r, TargetResult? direct, TargetResult? yarp, TargetResult? portkey)
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

    private static void AppendTable(StringBuilder text, List<string[]> rows)
    {
        var widths = Headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        void Line(string[] cells) => text.AppendLine(
            "| " + string.Join(" | ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))) + " |");
        Line(Headers);
        text.AppendLine("|" + string.Join("|", widths.Select((w, i) => i == 0 ? new string('-', w + 2) : new string('-', w + 1) + ":")) + "|");
        foreach (var row in rows)
        {
            Line(row);
        }
    }

    private static TargetResult? Find(IReadOnlyList<TargetResult> results, string name) =>
        results.FirstOrDefault(r => r.Name == name && r.Skipped is null);

    private static double? Added(double? value, double? baseline) => value - baseline;

    private static double? Ratio(double? value, double? baseline) => baseline is > 0 ? value / baseline : null;

    private static string Number(double? value, string format, string unit = "") =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) + unit : "-";
}
