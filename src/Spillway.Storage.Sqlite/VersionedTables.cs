using System.Globalization;
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

            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using (var create = connection.CreateCommand())
            {
                create.Transaction = transaction;
                create.CommandText = $"CREATE TABLE IF NOT EXISTS {_versionTable} (version INTEGER NOT NULL);";
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var read = connection.CreateCommand())
            {
                read.Transaction = transaction;
                read.CommandText = $"SELECT MAX(version) FROM {_versionTable};";
                var value = await read.ExecuteScalarAsync(cancellationToken);
                var version = value is null or DBNull ? 0 : Convert.ToInt32(value, CultureInfo.InvariantCulture);
                if (version > _version)
                {
                    throw new InvalidOperationException(
                        $"The {_what} of {DatabasePath} have schema version {version}, newer than the {_version} this version of Spillway knows.");
                }

                if (version < _version)
                {
                    await using var migrate = connection.CreateCommand();
                    migrate.Transaction = transaction;
                    migrate.CommandText = _schema + $"DELETE FROM {_versionTable}; INSERT INTO {_versionTable} (version) VALUES ({_version});";
                    await migrate.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
            _ready = true;
        }
        finally
        {
            _migrate.Release();
        }
    }
}
