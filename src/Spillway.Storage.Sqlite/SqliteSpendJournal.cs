using System.Globalization;
using Microsoft.Data.Sqlite;
using Spillway.Core.Budgets;

namespace Spillway.Storage.Sqlite;

/// <summary>
/// The spend journal in <c>spillway.db</c> (<see cref="ISpendJournal"/>): one row per paid call of a budgeted client,
/// committed before the answer completes. In WAL mode a commit is in the operating system's hands once it returns, so
/// it survives the process being killed (what <c>synchronous=NORMAL</c> gives up is only a power loss). Rows are
/// pruned (with the ledger's retention, <c>LedgerRetention</c>) after a month and a day, once no month budget can need them.
/// </summary>
public sealed class SqliteSpendJournal : ISpendJournal, IClientSpendHistory, IDisposable
{
    private static readonly TimeSpan Kept = TimeSpan.FromDays(32);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SqliteConnection _connection;
    private readonly IClientSpendHistory _ledger;
    private bool _ready;

    /// <summary>The journal of <c>spillway.db</c> in <paramref name="dataDirectory"/>, over <paramref name="ledger"/>'s
    /// history (the ledger in the same file).</summary>
    public SqliteSpendJournal(string dataDirectory, IClientSpendHistory ledger)
    {
        _connection = new SqliteConnection(SpillwayDatabase.ConnectionTo(SpillwayDatabase.PathIn(dataDirectory)).ToString());
        _ledger = ledger;
    }

    public async ValueTask RecordAsync(string requestId, int call, string clientId, DateTimeOffset at, decimal costUsd, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await EnsureReadyAsync(cancellationToken);
            await using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT OR REPLACE INTO spend_journal (request_id, call, client_id, day, at_unix_ms, cost_usd)
                VALUES ($id, $call, $client, $day, $at, $cost);
                """;
            command.Parameters.AddWithValue("$id", requestId);
            command.Parameters.AddWithValue("$call", call);
            command.Parameters.AddWithValue("$client", clientId);
            command.Parameters.AddWithValue("$day", SqliteLedgerValues.Day(at));
            command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$cost", SqliteLedgerValues.Money(costUsd));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The ledger's spend per day, plus what the journal holds of requests the ledger never got.</summary>
    public async ValueTask<IReadOnlyDictionary<DateOnly, decimal>> SpendByDayAsync(string clientId, DateOnly since, CancellationToken cancellationToken)
    {
        var spend = new Dictionary<DateOnly, decimal>(await _ledger.SpendByDayAsync(clientId, since, cancellationToken));
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await EnsureReadyAsync(cancellationToken);
            await using var command = _connection.CreateCommand();
            command.CommandText = """
                SELECT j.day, j.cost_usd FROM spend_journal j
                WHERE j.client_id = $client AND j.day >= $since
                  AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.id = j.request_id);
                """;
            command.Parameters.AddWithValue("$client", clientId);
            command.Parameters.AddWithValue("$since", since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var day = DateOnly.ParseExact(reader.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture);
                spend[day] = spend.GetValueOrDefault(day) + (SqliteLedgerValues.ParseMoney(reader.GetString(1)) ?? 0m);
            }

            return spend;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets rows older than a month and a day (no budget window reaches them). Values and days are written
    /// as the ledger writes them (<see cref="SqliteLedgerValues"/>), so the two add up.</summary>
    public async ValueTask PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await EnsureReadyAsync(cancellationToken);
            await using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM spend_journal WHERE at_unix_ms < $before;";
            command.Parameters.AddWithValue("$before", (now - Kept).ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }

    private async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _connection.OpenAsync(cancellationToken);
        await using (var pragma = _connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        await SchemaSteps.MigrateAsync(_connection, "spend_journal_version", Migrations, "spend journal", cancellationToken);
        _ready = true;
    }

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE spend_journal (
            request_id  TEXT    NOT NULL,
            call        INTEGER NOT NULL,
            client_id   TEXT    NOT NULL,
            day         TEXT    NOT NULL,
            at_unix_ms  INTEGER NOT NULL,
            cost_usd    TEXT    NOT NULL,
            PRIMARY KEY (request_id, call)
        ) WITHOUT ROWID;
        CREATE INDEX spend_journal_client_day ON spend_journal (client_id, day);
        """,
    ];
}
