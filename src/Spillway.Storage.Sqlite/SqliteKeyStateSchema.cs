using Microsoft.Data.Sqlite;

namespace Spillway.Storage.Sqlite;

/// <summary>The key state's tables in <c>spillway.db</c>, versioned apart from the ledger's in
/// <c>key_state_version</c>: one script per version, the same way as <see cref="SqliteLedgerSchema"/>.</summary>
/// <remarks>Times are Unix milliseconds (UTC). <c>model</c> is empty for what applies to the whole key.</remarks>
internal static class SqliteKeyStateSchema
{
    public const int CurrentVersion = 1;

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE key_cooldowns (
            key_id        TEXT    NOT NULL,
            model         TEXT    NOT NULL,
            until_unix_ms INTEGER NOT NULL,
            outcome       TEXT    NOT NULL,
            reason        TEXT    NOT NULL,
            secret_hint   TEXT    NOT NULL,
            PRIMARY KEY (key_id, model)
        ) WITHOUT ROWID;
        CREATE TABLE key_quotas (
            key_id                TEXT    NOT NULL,
            model                 TEXT    NOT NULL,
            measure               TEXT    NOT NULL,
            learned_limit         INTEGER,
            used                  INTEGER NOT NULL,
            window_reset_unix_ms  INTEGER,
            stated_remaining      INTEGER,
            stated_until_unix_ms  INTEGER,
            PRIMARY KEY (key_id, model, measure)
        ) WITHOUT ROWID;
        """,
    ];

    /// <summary>Brings the tables up to <see cref="CurrentVersion"/>; each step in its own transaction.</summary>
    /// <exception cref="InvalidOperationException">The tables were written by a newer version.</exception>
    public static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, null, "CREATE TABLE IF NOT EXISTS key_state_version (version INTEGER NOT NULL);", cancellationToken);
        for (var version = await ReadVersionAsync(connection, null, cancellationToken); version < CurrentVersion;)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            version = await ReadVersionAsync(connection, transaction, cancellationToken);
            if (version >= CurrentVersion)
            {
                break;
            }

            await ExecuteAsync(connection, transaction, Migrations[version], cancellationToken);
            await ExecuteAsync(connection, transaction, "DELETE FROM key_state_version;", cancellationToken);
            await ExecuteAsync(connection, transaction, $"INSERT INTO key_state_version (version) VALUES ({version + 1});", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            version++;
        }

        var found = await ReadVersionAsync(connection, null, cancellationToken);
        if (found > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The key state tables have schema version {found}, newer than the {CurrentVersion} this version of Spillway knows.");
        }
    }

    public static async Task<int> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT MAX(version) FROM key_state_version;";
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? 0 : Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
