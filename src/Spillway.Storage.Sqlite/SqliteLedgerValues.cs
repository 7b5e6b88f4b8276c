using System.Globalization;

namespace Spillway.Storage.Sqlite;

/// <summary>Conversions between ledger values and what the SQLite columns hold.</summary>
internal static class SqliteLedgerValues
{
    /// <summary>The UTC calendar day, <c>yyyy-MM-dd</c>: what per-day totals group by.</summary>
    public static string Day(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A money amount as invariant text (exact, scale kept), or null (NULL) when unknown.</summary>
    public static string? Money(decimal? value) =>
        value is { } amount ? amount.ToString(CultureInfo.InvariantCulture) : null;

    /// <summary>Reads back what <see cref="Money"/> wrote.</summary>
    public static decimal? ParseMoney(string? text) =>
        text is null ? null : decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    public static object OrNull(string? value) => value is null ? DBNull.Value : value;

    public static object OrNull<T>(T? value)
        where T : struct => value is { } v ? v : DBNull.Value;
}
