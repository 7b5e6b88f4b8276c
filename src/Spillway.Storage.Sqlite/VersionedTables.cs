using Microsoft.Data.Sqlite;

namespace Spillway.Storage.Sqlite;

/// <summary>
/// A group of tables in <c>spillway.db</c> with a schema version of its own (catalog, clients, …), so each part's
/// migrations never touch another's. Opens pooled connections and creates the tables on first use; refuses a
/// database whose tables are newer than this code.
/// </summary>
internal sealed class VersionedTables
{
    private readonly string _connectionString;
    private readonly string _versionTable;
    private readonly int _version;
    private readonly string _schema;
    private readonly string _what;
    private readonly SemaphoreSlim _migrate = new(1, 1);
    private volatile bool _ready;

    /// <param name="dataDirectory">The folder of <c>spillway.db</c>; created when missing.</param>
    /// <param name="versionTable">The table that holds this group's version.</param>
    /// <param name="version">The version <paramref name="schema"/> creates.</param>
    /// <param name="schema">The <c>CREATE TABLE IF NOT EXISTS</c> statements of the group.</param>
    /// <param name="what">How errors name the group ("catalog tables").</param>
    public VersionedTables(string dataDirectory, string versionTable, int version, string schema, string what)
    {
        DatabasePath = SpillwayDatabase.PathIn(dataDirectory);
        _connectionString = SpillwayDatabase.ConnectionTo(DatabasePath).ToString();
        _versionTable = versionTable;
        _version = version;
        _schema = schema;
        _what = what;
    }

    public string DatabasePath { get; }

    /// <summary>An open connection, with the group's tables in place.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
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

            await SchemaSteps.MigrateAsync(connection, _versionTable, [_schema], _what, cancellationToken);
            _ready = true;
        }
        finally
        {
            _migrate.Release();
        }
    }
}
