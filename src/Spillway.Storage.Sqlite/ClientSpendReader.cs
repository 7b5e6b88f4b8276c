using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Spillway.Storage.Sqlite;

/// <summary>Sums one client's spend per UTC day from the ledger (money summed as decimal, as elsewhere).</summary>
internal static class ClientSpendReader
{
    private const string SelectSql = """
        SELECT day, cost_usd
        FROM requests
        WHERE day >= $since AND client_id = $client AND cost_usd IS NOT NULL;
        """;

    public static async Task<IReadOnlyDictionary<DateOnly, decimal>> ReadAsync(
        SqliteConnection connection, string clientId, DateOnly since, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = SelectSql;
        command.Parameters.AddWithValue("$since", since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$client", clientId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var spend = new Dictionary<DateOnly, decimal>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var day = DateOnly.ParseExact(reader.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            spend[day] = spend.GetValueOrDefault(day) + (SqliteLedgerValues.ParseMoney(reader.GetString(1)) ?? 0m);
        }

        return spend;
    }
}
