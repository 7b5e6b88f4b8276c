using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Spillway.Core.Budgets;
using Spillway.Core.Ledger;

namespace Spillway.Storage.Sqlite;

/// <summary>
/// The spend journal in <c>spillway.db</c> (<see cref="ISpendJournal"/>): one row per paid call of a budgeted client,
/// committed before the answer completes, with what a ledger entry needs to be put back (<see cref="RecoverAsync"/>). In WAL mode a commit is in the operating system's hands once it returns, so
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

    /// <summary>What <see cref="RecoverAsync"/> writes in each recovered attempt's detail.</summary>
    public const string RecoveredDetail =
        "recovered from the spend journal: the gateway stopped before it wrote this request; tokens and timings were lost";

    public async ValueTask RecordAsync(JournaledCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await EnsureReadyAsync(cancellationToken);
            await using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT OR REPLACE INTO spend_journal
                    (request_id, call, client_id, day, at_unix_ms, cost_usd, route, key_id, model, client_format, stream)
                VALUES ($id, $call, $client, $day, $at, $cost, $route, $key, $model, $format, $stream);
                """;
            command.Parameters.AddWithValue("$id", call.RequestId);
            command.Parameters.AddWithValue("$call", call.Call);
            command.Parameters.AddWithValue("$client", call.ClientId);
            command.Parameters.AddWithValue("$day", SqliteLedgerValues.Day(call.At));
            command.Parameters.AddWithValue("$at", call.At.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$cost", SqliteLedgerValues.Money(call.CostUsd));
            command.Parameters.AddWithValue("$route", call.Route);
            command.Parameters.AddWithValue("$key", call.KeyId);
            command.Parameters.AddWithValue("$model", call.RequestedModel);
            command.Parameters.AddWithValue("$format", call.ClientFormat);
            command.Parameters.AddWithValue("$stream", call.Stream ? 1 : 0);
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

    /// <summary>
    /// The ledger entries a killed process never wrote, made from the journal's rows of requests the ledger does not
    /// hold (one entry per request, an <c>ok</c> attempt per paid call, the calls' summed cost; tokens and timings are
    /// not journaled and stay unknown). Run at start, before the first request, and append what it returns: the ledger
    /// then counts every paid call of a budgeted client exactly, and a second run finds nothing more.
    /// </summary>
    public async ValueTask<IReadOnlyList<LedgerEntry>> RecoverAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await EnsureReadyAsync(cancellationToken);
            await using var command = _connection.CreateCommand();
            command.CommandText = """
                SELECT j.request_id, j.client_id, j.at_unix_ms, j.cost_usd, j.route, j.key_id, j.model, j.client_format, j.stream
                FROM spend_journal j
                WHERE NOT EXISTS (SELECT 1 FROM requests r WHERE r.id = j.request_id)
                ORDER BY j.request_id, j.call;
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var entries = new List<LedgerEntry>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var cost = SqliteLedgerValues.ParseMoney(reader.GetString(3)) ?? 0m;
                var attempt = new AttemptRecord(reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), 200, Outcomes.Ok, 0, RecoveredDetail);
                if (entries.Count > 0 && entries[^1].Id == reader.GetString(0))
                {
                    // A further call of the same request (a continued stream): its route served what followed.
                    var last = entries[^1];
                    entries[^1] = last with { Route = attempt.Route, Attempts = last.Attempts.Add(attempt), CostUsd = last.CostUsd + cost };
                    continue;
                }

                entries.Add(new LedgerEntry
                {
                    Id = reader.GetString(0),
                    ClientId = reader.GetString(1),
                    Time = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                    CostUsd = cost,
                    Route = attempt.Route,
                    Attempts = ImmutableArray.Create(attempt),
                    Model = reader.GetString(6),
                    ClientFormat = reader.GetString(7),
                    Stream = reader.GetInt64(8) != 0,
                    Status = 200,
                    LatencyMs = 0,
                });
            }

            return entries;
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
        // What a ledger entry needs to be put back after a crash; rows written before this step keep placeholders.
        """
        ALTER TABLE spend_journal ADD COLUMN route TEXT NOT NULL DEFAULT 'unknown/unknown';
        ALTER TABLE spend_journal ADD COLUMN key_id TEXT;
        ALTER TABLE spend_journal ADD COLUMN model TEXT NOT NULL DEFAULT 'unknown';
        ALTER TABLE spend_journal ADD COLUMN client_format TEXT NOT NULL DEFAULT 'openai';
        ALTER TABLE spend_journal ADD COLUMN stream INTEGER NOT NULL DEFAULT 0;
        """,
    ];
}
