using System.Globalization;
using Microsoft.Data.Sqlite;
using Spillway.Core.Ledger;

namespace Spillway.Storage.Sqlite;

/// <summary>
/// Sums spend and savings per client over the requests served since a day. Money is summed as <see cref="decimal"/>
/// in code, not as REAL in SQL, so totals stay exact (as <see cref="LedgerUsageReader"/> does per route).
/// </summary>
internal static class ClientUsageReader
{
    private const string SelectSql = """
        SELECT client_id, cost_usd, saved_usd
        FROM requests
        WHERE day >= $since AND route IS NOT NULL
        ORDER BY client_id;
        """;

    public static async Task<IReadOnlyList<ClientUsageTotals>> ReadAsync(SqliteConnection connection, DateOnly since, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = SelectSql;
        command.Parameters.AddWithValue("$since", since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var totals = new List<ClientUsageTotals>();
        ClientUsageTotals? current = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            // NULL sorts first in SQLite: the anonymous clients' row leads, as the interface says.
            var client = reader.IsDBNull(0) ? null : reader.GetString(0);
            if (current is null || current.ClientId != client)
            {
                if (current is not null)
                {
                    totals.Add(current);
                }

                current = new ClientUsageTotals(client, 0, 0m, 0m);
            }

            var cost = SqliteLedgerValues.ParseMoney(reader.IsDBNull(1) ? null : reader.GetString(1));
            var saved = SqliteLedgerValues.ParseMoney(reader.IsDBNull(2) ? null : reader.GetString(2));
            current = current with
            {
                Requests = current.Requests + 1,
                CostUsd = current.CostUsd + (cost ?? 0m),
                SavedUsd = current.SavedUsd + (saved ?? 0m),
            };
        }

        if (current is not null)
        {
            totals.Add(current);
        }

        return totals;
    }
}
