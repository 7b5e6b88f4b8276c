using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Spillway.Storage.Sqlite;

/// <summary>The key vault's table in <c>spillway.db</c>, versioned apart from the others in <c>key_vault_version</c>:
/// one script per version, the same way as <see cref="SqliteKeyStateSchema"/>.</summary>
/// <remarks>
/// A row holds a provider key sealed with AES-256-GCM (<c>nonce</c>, <c>ciphertext</c>, <c>tag</c>), the id of the
/// master key it is sealed under, and what may be shown: id, provider, tier, limits, last four characters.
/// Times are Unix milliseconds (UTC).
/// </remarks>
internal static class SqliteKeyVaultSchema
{
    public const int CurrentVersion = 1;

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE vault_keys (
            id              TEXT    NOT NULL PRIMARY KEY,
            provider        TEXT    NOT NULL,
            tier            TEXT    NOT NULL,
            rpm             INTEGER,
            rpd             INTEGER,
            tpm             INTEGER,
            tpd             INTEGER,
            last4           TEXT    NOT NULL,
            master_key_id   TEXT    NOT NULL,
            nonce           BLOB    NOT NULL,
            ciphertext      BLOB    NOT NULL,
            tag             BLOB    NOT NULL,
            added_unix_ms   INTEGER NOT NULL,
            rotated_unix_ms INTEGER
        ) WITHOUT ROWID;
        """,
    ];

    /// <summary>Brings the table up to <see cref="CurrentVersion"/>; each step in its own transaction.</summary>
    /// <exception cref="InvalidOperationException">The table was written by a newer version.</exception>
    public static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, null, "CREATE TABLE IF NOT EXISTS key_vault_version (version INTEGER NOT NULL);", cancellationToken);
        for (var version = await ReadVersionAsync(connection, null, cancellationToken); version < CurrentVersion;)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            version = await ReadVersionAsync(connection, transaction, cancellationToken);
            if (version >= CurrentVersion)
            {
                break;
            }

            await ExecuteAsync(connection, transaction, Migrations[version], cancellationToken);
            await ExecuteAsync(connection, transaction, "DELETE FROM key_vault_version;", cancellationToken);
            await ExecuteAsync(connection, transaction, $"INSERT INTO key_vault_version (version) VALUES ({version + 1});", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            version++;
        }

        var found = await ReadVersionAsync(connection, null, cancellationToken);
        if (found > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The key vault table has schema version {found}, newer than the {CurrentVersion} this version of Spillway knows.");
        }
    }

    public static async Task<int> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT MAX(version) FROM key_vault_version;";
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? 0 : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    public static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
