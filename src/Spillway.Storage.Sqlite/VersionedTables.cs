using Microsoft.Data.Sqlite;

namespace Spillway.Storage.Sqlite;

/// <summary>
/// A group of tables in <c>spillway.db</c> with a schema version of its own (catalog, clients, key vault), so each
/// part's migrations never touch another's. Opens connections and migrates the group on first use
/// (<see cref="SchemaSteps"/>); nothing is created on disk before the first open.
/// </summary>
internal sealed class VersionedTables
{
    private readonly string _dataDirectory;
    private readonly string _connectionString;
    private readonly string _versionTable;
    private readonly IReadOnlyList<string> _migrations;
    private readonly string _what;
    private readonly string? _everyConnection;
    private readonly SemaphoreSlim _migrate = new(1, 1);
    private volatile bool _ready;

    /// <param name="dataDirectory">The folder of <c>spillway.db</c>; created on first open.</param>
    /// <param name="versionTable">The table that holds this group's version.</param>
    /// <param name="migrations">Script <c>i</c> takes the group from version <c>i</c> to <c>i + 1</c>.</param>
    /// <param name="what">How errors name the group ("catalog tables").</param>
    /// <param name="pooled">False for a store opened rarely that wants no connection left open (the key vault).</param>
    /// <param name="everyConnection">Pragmas to run on every connection opened (<c>secure_delete</c>).</param>
    public VersionedTables(
        string dataDirectory, string versionTable, IReadOnlyList<string> migrations, string what, bool pooled = true, string? everyConnection = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        _dataDirectory = dataDirectory;
        DatabasePath = Path.GetFullPath(Path.Combine(dataDirectory, SqliteLedgerStore.FileName));
        var connection = SpillwayDatabase.ConnectionTo(DatabasePath);
        connection.Pooling = pooled;
        _connectionString = connection.ToString();
        _versionTable = versionTable;
        _migrations = migrations;
        _what = what;
        _everyConnection = everyConnection;
    }

    public string DatabasePath { get; }

    /// <summary>An open connection, with the group's tables in place.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_dataDirectory);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (_everyConnection is not null)
            {
                await SchemaSteps.ExecuteAsync(connection, null, _everyConnection, cancellationToken);
            }

            if (!_ready)
            {
                await MigrateAsync(connection, cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await _migrate.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
            {
                return;
            }

            // The journal mode the ledger sets, whichever store opens a new file first.
            await SchemaSteps.ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken);
            await SchemaSteps.MigrateAsync(connection, _versionTable, _migrations, _what, cancellationToken);
            _ready = true;
        }
        finally
        {
            _migrate.Release();
        }
    }
}
