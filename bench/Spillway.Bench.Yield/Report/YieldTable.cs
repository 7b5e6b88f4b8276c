using System.Globalization;
using System.Text;
using Spillway.Core.Providers;

namespace Spillway.Bench.Yield.Report;

/// <summary>The one table the yield benchmark prints: a row per provider, the totals, then the issue's targets (<c>met</c> / <c>MISSED</c>).</summary>
internal static class YieldTable
{
    // The issue's targets.
    private const double MinShareOfMaximum = 0.99;
    private const int MaxSpentKeyCalls = 0;
    private const int MaxLearningCalls = 2;

    private static readonly string[] Headers =
    [
        "provider", "route", "tier", "known rpm / rpd", "free capacity", "served", "upstream calls", "429 answers",
        "calls to a spent key (minute / day)",
    ];

    public static string Render(YieldResult result)
    {
        var options = result.Options;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Spillway free-tier yield benchmark: {Environment.ProcessorCount} cores, loopback, simulators and gateway in one process on one fake clock");
        var sending = options.Sequential ? "sent one after another" : $"sent together by {options.Clients} concurrent clients";
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Workload: {options.Clients} non-streamed requests per simulated second to '{Fleet.BenchFleet.Alias}', {sending}, " +
            $"{options.Minutes} simulated minutes from {result.Start:yyyy-MM-dd HH:mm}Z; took {result.WallClock.TotalSeconds:0.0} s");
        AppendTable(text, result.Providers.Select(Row).Append(TotalRow(result)).ToList());
        text.AppendLine();

        var maximum = result.FreeMaximum;
        var achieved = maximum == 0 ? 1.0 : (double)result.ServedFree / maximum;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"requests {result.Total}: served free {result.ServedFree}, served paid {result.ServedPaid}, failed {result.Failed}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"theoretical maximum free share: {maximum} / {result.Total} = {Percent(maximum, result.Total)}; " +
            $"achieved {result.ServedFree} / {result.Total} = {Percent(result.ServedFree, result.Total)}, {achieved * 100:0.00} % of the maximum");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"upstream calls {result.UpstreamCalls}: answered 429 (hit a limit) {result.LimitedCalls}; " +
            $"made to a key whose quota was already spent {result.SpentKeyCalls}; paid {result.PaidCalls}");
        if (maximum >= result.Total)
        {
            text.AppendLine("note: the workload fits in the free tiers; raise --clients for one larger than their sum");
        }

        if (result.LedgerRequests != result.Total)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"warning: the ledger holds {result.LedgerRequests} requests, the clients sent {result.Total}");
        }

        foreach (var row in result.Providers.Where(p => p.LedgerCalls != p.Audit.Calls))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"warning: {row.Member.Id}: the ledger counts {row.LedgerCalls} upstream calls, its simulator received {row.Audit.Calls}");
        }

        text.AppendLine();
        text.AppendLine("Targets:");
        Check(text, "free share >= 99 % of the theoretical maximum", $"{achieved * 100:0.00} %", achieved >= MinShareOfMaximum);
        var knownSpent = result.Providers.Where(p => p.Member.HiddenRpm is null).Sum(p => p.Audit.Spent);
        Check(text, "calls to a key whose known quota is spent = 0", knownSpent.ToString(CultureInfo.InvariantCulture),
            knownSpent <= MaxSpentKeyCalls);
        foreach (var hidden in result.Providers.Where(p => p.Member.HiddenRpm is not null))
        {
            // Learning a limit nobody gave costs the 429 that teaches it; after that, about one a day.
            Check(text, $"429 answers from the unknown-limit key <= {MaxLearningCalls}", N(hidden.Limited), hidden.Limited <= MaxLearningCalls);
        }
        return text.ToString();
    }

    private static string[] Row(ProviderRow row) =>
    [
        row.Member.Id,
        row.Member.Route,
        row.Member.Tier == KeyTier.Free ? "free" : "paid",
        row.Member.HiddenRpm is { } hidden ? $"unknown (really {hidden} rpm)" : $"{Limit(row.Known.Rpm)} / {Limit(row.Known.Rpd)}",
        row.Capacity?.ToString(CultureInfo.InvariantCulture) ?? "-",
        N(row.Served),
        N(row.Audit.Calls),
        N(row.Limited),
        $"{row.Audit.Spent} ({row.Audit.MinuteSpent} / {row.Audit.DaySpent})",
    ];

    private static string[] TotalRow(YieldResult result) =>
    [
        "total", string.Empty, string.Empty, string.Empty,
        N(result.Providers.Sum(p => p.Capacity ?? 0)),
        N(result.Providers.Sum(p => p.Served)),
        N(result.UpstreamCalls),
        N(result.LimitedCalls),
        $"{result.SpentKeyCalls} ({result.Providers.Sum(p => p.Audit.MinuteSpent)} / {result.Providers.Sum(p => p.Audit.DaySpent)})",
    ];

    private static void AppendTable(StringBuilder text, IReadOnlyList<string[]> rows)
    {
        var widths = Headers.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        text.AppendLine("| " + string.Join(" | ", Headers.Select((h, i) => h.PadRight(widths[i]))) + " |");
        text.AppendLine("|" + string.Join("|", widths.Select((w, i) => i < 3 ? new string('-', w + 2) : new string('-', w + 1) + ":")) + "|");
        foreach (var row in rows)
        {
            text.AppendLine("| " + string.Join(" | ", row.Select((cell, i) => i < 3 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))) + " |");
        }
    }

    private static void Check(StringBuilder text, string target, string value, bool met) =>
        text.AppendLine(CultureInfo.InvariantCulture, $"  {target,-50} {value,10}  {(met ? "met" : "MISSED")}");

    private static string Limit(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Percent(int part, int whole) =>
        whole == 0 ? "-" : ((double)part / whole * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %";
}
