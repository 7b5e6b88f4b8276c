using Microsoft.Data.Sqlite;
using Spillway.Core.Budgets;
using Spillway.Core.Ledger;

namespace Spillway.Storage.Sqlite;

/// <summary>
/// The embedded ledger: one SQLite file, <c>spillway.db</c> in the data directory, in WAL mode.
/// </summary>
/// <remarks>
/// <para>
/// Call <see cref="InitializeAsync"/> once before use: it turns on WAL and migrates the schema (tables
/// <c>schema_version</c>, <c>requests</c>, <c>attempts</c>; see <see cref="SqliteLedgerSchema"/>).
/// </para>
/// <para>
/// Safe to share between threads. Appends are serialized in-process (one writer, as SQLite allows anyway) and go
/// through one long-lived write connection, opened by the first append and closed by <see cref="Dispose"/>, whose insert
/// statements are compiled once; after a failed append it is closed and the next append opens a fresh one. Reads take
/// connections from the Microsoft.Data.Sqlite pool, never the write connection, and WAL lets them run while a batch
/// is being written, each seeing the last committed state. <c>synchronous=NORMAL</c> means a power cut may lose the
/// last transactions but never corrupts the file; an application crash loses nothing committed.
/// </para>
/// <para>
/// Times are kept to the millisecond (UTC). Money round-trips exactly. An entry whose id is already stored is ignored.
/// </para>
/// </remarks>
public sealed class SqliteLedgerStore : ILedgerStore, ILedgerUsage, IClientSpendHistory, IDisposable
{
    /// <summary>The database's file name inside the data directory.</summary>
    public const string FileName = "spillway.db";

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile bool _initialized;

    // Guarded by _writeLock. Null until the first append, after a failed one, and after Dispose.
    private LedgerWriteConnection? _writer;
    private bool _disposed;

    /// <summary>Points the store at <c>spillway.db</c> in <paramref name="dataDirectory"/>, creating the directory.</summary>
    /// <param name="dataDirectory">Where the database lives; created if missing. The file is created by <see cref="InitializeAsync"/>.</param>
    public SqliteLedgerStore(string dataDirectory)
    {
        DatabasePath = SpillwayDatabase.PathIn(dataDirectory);
        var connection = SpillwayDatabase.ConnectionTo(DatabasePath);
        connection.ForeignKeys = true;
        _connectionString = connection.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Turns on WAL and creates or migrates the tables. Idempotent.</summary>
    /// <exception cref="InvalidOperationException">WAL could not be turned on, or the schema is newer than this code.</exception>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);

        // WAL is a property of the file and stays on once set; the pragma answers with the mode now in force.
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode=WAL;";
            var mode = (string?)await command.ExecuteScalarAsync(cancellationToken);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"Could not turn on WAL for {DatabasePath}; journal mode is '{mode}'.");
            }
        }

        await SqliteLedgerSchema.MigrateAsync(connection, cancellationToken);
        _initialized = true;
    }

    /// <summary>Writes the batch in one transaction, on the write connection with its prepared statements.</summary>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public async ValueTask AppendAsync(IReadOnlyList<LedgerEntry> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        EnsureInitialized();
        if (batch.Count == 0)
        {
            return;
        }

        await WriteAsync(writer =>
        {
            writer.Append(batch, cancellationToken);
            return 0;
        }, cancellationToken);
    }

    /// <summary>A page of entries, newest first, older than <paramref name="beforeId"/>'s entry when given; null when no
    /// entry has that id. One read transaction: the cursor, the entries and their attempts see the same snapshot, so a batch
    /// committed in between cannot give the requests one set of rows and the attempts another.</summary>
    public async ValueTask<LedgerPage?> ListPageAsync(int limit, string? beforeId, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        EnsureInitialized();
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        (long, long)? cursor = null;
        if (beforeId is not null)
        {
            cursor = await LedgerRowReader.PositionOfAsync(connection, transaction, beforeId, cancellationToken);
            if (cursor is null)
            {
                return null;
            }
        }

        return LedgerPage.Of(await LedgerRowReader.ReadAsync(connection, transaction, LedgerPage.ReadCount(limit), cursor, cancellationToken), limit);
    }

    /// <summary>Deletes the entries older than <paramref name="olderThan"/> and their attempts, one transaction of at
    /// most <paramref name="batchSize"/> entries at a time on the write connection; appends take turns with the
    /// batches, so none waits for more than one batch.</summary>
    public async ValueTask<long> PruneAsync(DateTimeOffset olderThan, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        EnsureInitialized();
        var cutoff = olderThan.ToUnixTimeMilliseconds();
        long total = 0;
        while (true)
        {
            var deleted = await WriteAsync(writer => writer.Prune(cutoff, batchSize), cancellationToken);
            total += deleted;
            if (deleted < batchSize)
            {
                return total;
            }
        }
    }

    /// <summary>
    /// Runs one transaction on the write connection. SQLite takes one writer at a time; queueing here is cheaper than
    /// spinning on SQLITE_BUSY. When it fails the transaction was rolled back and, whatever broke (a bad row, the disk,
    /// a lock timeout), the next write starts on a fresh connection rather than one in a state nobody has looked at.
    /// </summary>
    private async ValueTask<int> WriteAsync(Func<LedgerWriteConnection, int> write, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _writer ??= LedgerWriteConnection.Open(_connectionString);
            try
            {
                return write(_writer);
            }
            catch
            {
                _writer.Dispose();
                _writer = null;
                throw;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Spend and savings per UTC day and route since <paramref name="since"/>, exact to the last digit.</summary>
    public async ValueTask<IReadOnlyList<UsageTotals>> UsageByDayAsync(DateOnly since, CancellationToken cancellationToken)
    {
        EnsureInitialized();
        await using var connection = await OpenAsync(cancellationToken);
        return await LedgerUsageReader.ReadAsync(connection, since, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ClientUsageTotals>> UsageByClientAsync(DateOnly since, CancellationToken cancellationToken)
    {
        EnsureInitialized();
        await using var connection = await OpenAsync(cancellationToken);
        return await ClientUsageReader.ReadAsync(connection, since, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyDictionary<DateOnly, decimal>> SpendByDayAsync(string clientId, DateOnly since, CancellationToken cancellationToken)
    {
        EnsureInitialized();
        await using var connection = await OpenAsync(cancellationToken);
        return await ClientSpendReader.ReadAsync(connection, clientId, since, cancellationToken);
    }

    /// <summary>
    /// Closes the write connection and the pooled read connections to the file (checkpointing the WAL when the last one
    /// closes). Waits for an append in progress to finish; appends after this throw <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose()
    {
        _writeLock.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _writer?.Dispose();
            _writer = null;
        }
        finally
        {
            _writeLock.Release();
        }

        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);

            // synchronous is per connection, not stored in the file; pooled connections get it again, which is cheap.
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=NORMAL;";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private void EnsureInitialized()
    {
        if (!_initialized)
        {
            throw new InvalidOperationException($"{nameof(SqliteLedgerStore)}.{nameof(InitializeAsync)} has not been called.");
        }
    }
}
