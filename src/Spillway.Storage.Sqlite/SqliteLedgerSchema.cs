using Microsoft.Data.Sqlite;

namespace Spillway.Storage.Sqlite;

/// <summary>The ledger's tables and the migrations that build them, one script per schema version.</summary>
/// <remarks>
/// <para>
/// Money is kept as TEXT holding the invariant decimal string: it round-trips a <see cref="decimal"/> exactly, which
/// REAL would not, and integer micro-dollars would cut sub-micro-dollar costs of cheap models. Aggregates read it with
/// <c>SUM(CAST(cost_usd AS REAL))</c> (or sum decimals in code). The column must stay TEXT-typed: with NUMERIC
/// affinity SQLite would turn the string into a REAL on insert.
/// </para>
/// <para>
/// <c>day</c> (UTC <c>yyyy-MM-dd</c>) is stored next to the timestamp so spend per day and route is a plain
/// <c>GROUP BY day, route</c> served by an index.
/// </para>
/// </remarks>
internal static class SqliteLedgerSchema
{
    /// <summary>The version this code writes and reads.</summary>
    public const int CurrentVersion = 2;

    /// <summary>Scripts by version: <c>Migrations[n - 1]</c> takes a database from version n - 1 to n.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE requests (
            id                  TEXT    NOT NULL PRIMARY KEY,
            time_unix_ms        INTEGER NOT NULL,
            day                 TEXT    NOT NULL,
            client_format       TEXT    NOT NULL,
            model               TEXT    NOT NULL,
            route               TEXT,
            status              INTEGER NOT NULL,
            stream              INTEGER NOT NULL,
            input_tokens        INTEGER,
            output_tokens       INTEGER,
            cached_input_tokens INTEGER,
            reasoning_tokens    INTEGER,
            cost_usd            TEXT,
            saved_usd           TEXT,
            latency_ms          REAL    NOT NULL,
            ttft_ms             REAL,
            error               TEXT,
            client_id           TEXT
        );
        CREATE INDEX ix_requests_time ON requests (time_unix_ms);
        CREATE INDEX ix_requests_day_route ON requests (day, route);
        CREATE TABLE attempts (
            request_id TEXT    NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
            seq        INTEGER NOT NULL,
            route      TEXT    NOT NULL,
            key_id     TEXT,
            status     INTEGER,
            outcome    TEXT    NOT NULL,
            latency_ms REAL    NOT NULL,
            detail     TEXT,
            PRIMARY KEY (request_id, seq)
        ) WITHOUT ROWID;
        """,

        // v2: cache writes, billed apart by Anthropic (and reported by OpenRouter); NULL on rows written before.
        """
        ALTER TABLE requests ADD COLUMN cache_write_input_tokens INTEGER;
        """,
    ];

    /// <summary>Brings the database up to <see cref="CurrentVersion"/>; each step in its own transaction.</summary>
    /// <exception cref="InvalidOperationException">The database was written by a newer version.</exception>
    public static Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        MigrateAsync(connection, CurrentVersion, cancellationToken);

    /// <summary>Brings the database up to <paramref name="target"/> (tests build older databases with it).</summary>
    internal static async Task MigrateAsync(SqliteConnection connection, int target, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, null, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);", cancellationToken);

        for (var version = await ReadVersionAsync(connection, null, cancellationToken); version < target;)
        {
            // IMMEDIATE: two processes starting at once serialize here, and the loser re-reads the version.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            version = await ReadVersionAsync(connection, transaction, cancellationToken);
            if (version >= target)
            {
                break;
            }

            await ExecuteAsync(connection, transaction, Migrations[version], cancellationToken);
            await ExecuteAsync(connection, transaction, "DELETE FROM schema_version;", cancellationToken);
            await ExecuteAsync(
                connection,
                transaction,
                $"INSERT INTO schema_version (version) VALUES ({version + 1});",
                cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            version++;
        }

        var found = await ReadVersionAsync(connection, null, cancellationToken);
        if (found > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The ledger database has schema version {found}, newer than the {CurrentVersion} this version of Spillway knows.");
        }
    }

    /// <summary>The stored version; 0 for a new database.</summary>
    public static async Task<int> ReadVersionAsync(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT MAX(version) FROM schema_version;";
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? 0 : Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        string sql,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
