using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Spillway.Storage.Sqlite;

/// <summary>
/// Versioned migrations for a group of tables in <c>spillway.db</c> with its own version table (key state, key
/// vault, catalog, clients), so each part's migrations never touch another's: script <c>i</c> takes the group from
/// version <c>i</c> to <c>i + 1</c>, each step in its own transaction.
/// </summary>
internal static class SchemaSteps
{
    /// <summary>Brings the group up to <c>migrations.Count</c>.</summary>
    /// <param name="what">How an error names the group ("key state tables").</param>
    /// <exception cref="InvalidOperationException">The tables were written by a newer version of Spillway.</exception>
    public static async Task MigrateAsync(
        SqliteConnection connection, string versionTable, IReadOnlyList<string> migrations, string what, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, null, $"CREATE TABLE IF NOT EXISTS {versionTable} (version INTEGER NOT NULL);", cancellationToken);
        for (var version = await ReadVersionAsync(connection, null, versionTable, cancellationToken); version < migrations.Count;)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            version = await ReadVersionAsync(connection, transaction, versionTable, cancellationToken);
            if (version >= migrations.Count)
            {
                break;
            }

            await ExecuteAsync(connection, transaction, migrations[version], cancellationToken);
            await ExecuteAsync(connection, transaction, $"DELETE FROM {versionTable};", cancellationToken);
            await ExecuteAsync(connection, transaction, $"INSERT INTO {versionTable} (version) VALUES ({version + 1});", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            version++;
        }

        var found = await ReadVersionAsync(connection, null, versionTable, cancellationToken);
        if (found > migrations.Count)
        {
            throw new InvalidOperationException(
                $"The {what} have schema version {found}, newer than the {migrations.Count} this version of Spillway knows.");
        }
    }

    public static async Task<int> ReadVersionAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string versionTable, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT MAX(version) FROM {versionTable};";
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
