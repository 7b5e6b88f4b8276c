using System.Globalization;
using Microsoft.Data.Sqlite;
using Spillway.Core.Ledger;

namespace Spillway.Storage.Sqlite;

/// <summary>
/// Sums spend and savings per day and route. Money is summed as <see cref="decimal"/> in code, not as REAL in SQL,
/// so totals stay exact; the rows come in day and route order from the <c>(day, route)</c> index.
/// </summary>
internal static class LedgerUsageReader
{
    private const string SelectSql = """
        SELECT day, route, cost_usd, saved_usd, error, input_tokens, output_tokens
        FROM requests
        WHERE day >= $since AND route IS NOT NULL
        ORDER BY day, route;
        """;

    public static async Task<IReadOnlyList<UsageTotals>> ReadAsync(SqliteConnection connection, DateOnly since, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = SelectSql;
        command.Parameters.AddWithValue("$since", since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var totals = new List<UsageTotals>();
        UsageTotals? current = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            var day = reader.GetString(0);
            var route = reader.GetString(1);
            if (current is null || current.Day != day || current.Route != route)
            {
                if (current is not null)
                {
                    totals.Add(current);
                }

                current = new UsageTotals(day, route, 0, 0m, 0m, 0, 0, 0);
            }

            var cost = SqliteLedgerValues.ParseMoney(reader.IsDBNull(2) ? null : reader.GetString(2));
            var saved = SqliteLedgerValues.ParseMoney(reader.IsDBNull(3) ? null : reader.GetString(3));

            // A stream that broke after it started has a route and an error but was not billed: not unpriced.
            var unpriced = cost is null && reader.IsDBNull(4);
            current = current with
            {
                Requests = current.Requests + 1,
                CostUsd = current.CostUsd + (cost ?? 0m),
                SavedUsd = current.SavedUsd + (saved ?? 0m),
                UnpricedRequests = current.UnpricedRequests + (unpriced ? 1 : 0),
                InputTokens = current.InputTokens + (reader.IsDBNull(5) ? 0 : reader.GetInt64(5)),
                OutputTokens = current.OutputTokens + (reader.IsDBNull(6) ? 0 : reader.GetInt64(6)),
            };
        }

        if (current is not null)
        {
            totals.Add(current);
        }

        return totals;
    }
}
