namespace Spillway.Core.Ledger;

/// <summary>Ledger totals per day and route, grouped by day with each day's sum and the sum of all.</summary>
public sealed record UsageReport(DateOnly Since, IReadOnlyList<UsageReport.DayTotals> Days, UsageReport.Sum Total)
{
    /// <summary>Groups <paramref name="rows"/> (in day, route order) by day.</summary>
    public static UsageReport Of(DateOnly since, IReadOnlyList<UsageTotals> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var days = rows
            .GroupBy(row => row.Day, StringComparer.Ordinal)
            .Select(day => new DayTotals(day.Key, [.. day], Sum.Of(day)))
            .ToList();
        return new UsageReport(since, days, Sum.Of(rows));
    }

    /// <summary>The first UTC day of the last <paramref name="days"/> days, today (from <paramref name="now"/>) included.</summary>
    public static DateOnly SinceDays(DateTimeOffset now, int days) =>
        DateOnly.FromDateTime(now.UtcDateTime).AddDays(1 - Math.Max(1, days));

    public sealed record DayTotals(string Day, IReadOnlyList<UsageTotals> Routes, Sum Total);

    public sealed record Sum(long Requests, decimal CostUsd, decimal SavedUsd, long UnpricedRequests)
    {
        public static Sum Of(IEnumerable<UsageTotals> rows)
        {
            var sum = new Sum(0, 0m, 0m, 0);
            foreach (var row in rows)
            {
                sum = new Sum(sum.Requests + row.Requests, sum.CostUsd + row.CostUsd, sum.SavedUsd + row.SavedUsd, sum.UnpricedRequests + row.UnpricedRequests);
            }

            return sum;
        }
    }
}
