using Microsoft.Data.Sqlite;
using Spillway.Core.Ledger;

namespace Spillway.Storage.Sqlite;

/// <summary>
/// The store's one write connection, kept open with its insert statements compiled, so a batch costs one transaction
/// and its inserts, not an open, a pragma and two statement compilations.
/// </summary>
/// <remarks>
/// Not thread-safe: the store uses it under its write lock only. It holds no pooled connection, so disposing it closes
/// the file handle for real.
/// </remarks>
internal sealed class LedgerWriteConnection : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly LedgerInsertCommands _commands;

    private LedgerWriteConnection(SqliteConnection connection, LedgerInsertCommands commands)
    {
        _connection = connection;
        _commands = commands;
    }

    /// <summary>Opens a connection of its own (outside the pool) and prepares the inserts on it.</summary>
    /// <param name="connectionString">The store's connection string; pooling is turned off for this connection.</param>
    public static LedgerWriteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        try
        {
            connection.Open();

            // synchronous is per connection, not stored in the file (see the store's remarks).
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA synchronous=NORMAL;";
                pragma.ExecuteNonQuery();
            }

            return new LedgerWriteConnection(connection, new LedgerInsertCommands(connection));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Writes the batch in one transaction; nothing of it is kept when any row fails.</summary>
    public void Append(IReadOnlyList<LedgerEntry> batch, CancellationToken cancellationToken)
    {
        // BEGIN IMMEDIATE: take the write lock up front, so the transaction never fails half way on an upgrade.
        // The inserts run on this connection, so they are part of its open transaction.
        using var transaction = _connection.BeginTransaction(deferred: false);
        foreach (var entry in batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _commands.Insert(entry);
        }

        transaction.Commit();
    }

    /// <summary>
    /// Deletes up to <paramref name="batchSize"/> of the oldest entries older than <paramref name="cutoffUnixMs"/> and
    /// their attempts, in one transaction.
    /// </summary>
    /// <returns>How many entries were deleted.</returns>
    public int Prune(long cutoffUnixMs, int batchSize)
    {
        // The attempts go first and by name: the foreign key would cascade too, but only on a connection with
        // foreign keys on, and an explicit delete does not depend on that.
        const string Doomed = "SELECT id FROM requests WHERE time_unix_ms < $cutoff ORDER BY time_unix_ms, rowid LIMIT $batch";
        using var transaction = _connection.BeginTransaction(deferred: false);
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$cutoff", cutoffUnixMs);
        command.Parameters.AddWithValue("$batch", batchSize);
        command.CommandText = $"DELETE FROM attempts WHERE request_id IN ({Doomed});";
        command.ExecuteNonQuery();
        command.CommandText = $"DELETE FROM requests WHERE id IN ({Doomed});";
        var deleted = command.ExecuteNonQuery();
        transaction.Commit();
        return deleted;
    }

    public void Dispose()
    {
        // Statements first: SQLite only closes a connection whose statements are finalized.
        _commands.Dispose();
        _connection.Dispose();
    }
}
