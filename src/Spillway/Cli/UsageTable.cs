using System.Globalization;
using Spectre.Console;
using Spillway.Core.Ledger;

namespace Spillway.Cli;

/// <summary>The <c>spillway usage</c> table: one row per day and route, a subtotal per day, the total last.</summary>
internal static class UsageTable
{
    public static Table Of(UsageReport report)
    {
        var since = report.Since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var table = new Table()
            .Title($"Spend and savings since {since} (UTC days)")
            .AddColumn("Day")
            .AddColumn("Route")
            .AddColumn(new TableColumn("Requests").RightAligned())
            .AddColumn(new TableColumn("Cost").RightAligned())
            .AddColumn(new TableColumn("Saved").RightAligned())
            .AddColumn(new TableColumn("Unpriced").RightAligned());
        foreach (var day in report.Days)
        {
            foreach (var route in day.Routes)
            {
                table.AddRow(
                    Markup.Escape(day.Day),
                    Markup.Escape(route.Route),
                    Count(route.Requests),
                    UsageCommand.Dollars(route.CostUsd),
                    UsageCommand.Dollars(route.SavedUsd),
                    Count(route.UnpricedRequests));
            }

            if (day.Routes.Count > 1)
            {
                AddSum(table, day.Day, "all routes", day.Total);
            }
        }

        if (report.Days.Count == 0)
        {
            table.AddRow("-", "no requests served in this window", "0", "$0.00", "$0.00", "0");
        }

        table.AddEmptyRow();
        AddSum(table, "Total", string.Empty, report.Total);
        return table;
    }

    private static void AddSum(Table table, string day, string label, UsageReport.Sum sum) =>
        table.AddRow(
            Markup.Escape(day),
            Markup.Escape(label),
            Count(sum.Requests),
            UsageCommand.Dollars(sum.CostUsd),
            UsageCommand.Dollars(sum.SavedUsd),
            Count(sum.UnpricedRequests));

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
