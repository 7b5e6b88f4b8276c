using System.CommandLine;
using System.Globalization;
using Spillway.Core.Ledger;
using Spillway.Hosting;

namespace Spillway.Cli;

/// <summary>
/// <c>spillway usage [--data DIR] [--config FILE] [--days N] [--json]</c>: spend and savings by day and route, read
/// from the ledger (the data folder's, or the shared PostgreSQL one).
/// </summary>
internal static class UsageCommand
{
    public static Command Create(TimeProvider time)
    {
        var records = new RecordsOptions();
        var days = new Option<int>("--days")
        {
            Description = "How many days back, today included.",
            DefaultValueFactory = _ => 30,
        }.WholeNumberOf("days");
        var json = new Option<bool>("--json") { Description = "Print JSON (the data folder line goes to stderr)." };
        var usage = new Command("usage", "Show spend and savings by day and route.") { days, json };
        records.AddTo(usage);
        usage.SetAction((result, cancellationToken) => CommandErrors.GuardAsync(() => RunAsync(
            records.Of(result), result.GetValue(days), result.GetValue(json), time, Console.Out, Console.Error, cancellationToken)));
        return usage;
    }

    /// <summary>
    /// Prints the data folder line, then the table (or with <paramref name="json"/> the JSON, the folder line going to
    /// <paramref name="error"/>) to <paramref name="output"/>; 1 with one line on <paramref name="error"/> when there is no ledger.
    /// </summary>
    internal static async Task<int> RunAsync(
        RecordsPlace place, int days, bool json, TimeProvider time, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var records = await RecordStores.OpenAsync(place.Storage, place.DataDirectory, cancellationToken);
        await (json ? error : output).WriteLineAsync(records.Line);
        if (days < 1)
        {
            await error.WriteLineAsync($"--days must be 1 or more, got {days}.");
            return 1;
        }

        if (await records.OpenUsageAsync(cancellationToken) is not { } store)
        {
            await error.WriteLineAsync($"No ledger at {records.Place}: nothing served yet, or pass --data with the folder 'spillway serve' used.");
            return 1;
        }

        var since = UsageReport.SinceDays(time.GetUtcNow(), days);
        var report = UsageReport.Of(since, await store.UsageByDayAsync(since, cancellationToken));
        if (json)
        {
            await CliJson.WriteAsync(output, Json(report), CliJsonContext.Default.UsageJson);
            return 0;
        }

        var console = CliConsole.For(output);
        console.Write(UsageTable.Of(report));
        return 0;
    }

    private static UsageJson Json(UsageReport report) => new(
        report.Since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        [.. report.Days.Select(day => new UsageDayJson(
            day.Day,
            day.Total.Requests,
            day.Total.CostUsd,
            day.Total.SavedUsd,
            day.Total.UnpricedRequests,
            [.. day.Routes.Select(r => new UsageRouteJson(r.Route, r.Requests, r.CostUsd, r.SavedUsd, r.UnpricedRequests, r.InputTokens, r.OutputTokens))]))],
        new UsageSumJson(report.Total.Requests, report.Total.CostUsd, report.Total.SavedUsd, report.Total.UnpricedRequests));

    /// <summary>Dollars with at least cents and up to eight decimals: the cost of one cheap call is fractions of a cent.</summary>
    internal static string Dollars(decimal amount) => "$" + amount.ToString("0.00######", CultureInfo.InvariantCulture);
}
