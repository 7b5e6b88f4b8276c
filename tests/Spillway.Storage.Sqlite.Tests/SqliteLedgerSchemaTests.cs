using Microsoft.Data.Sqlite;
using Spillway.TestSupport;

namespace Spillway.Storage.Sqlite.Tests;

public sealed class SqliteLedgerSchemaTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task MigrateAsync_NewDatabase_RecordsTheCurrentVersionAndCreatesTables()
    {
        await using var connection = await OpenAsync();

        await SqliteLedgerSchema.MigrateAsync(connection, CancellationToken.None);

        Assert.Equal(2, SqliteLedgerSchema.CurrentVersion);
        Assert.Equal(["2"], await QueryAsync(connection, "SELECT version FROM schema_version;"));
        Assert.Equal(
            ["attempts", "ix_requests_day_route", "ix_requests_time", "requests", "schema_version"],
            await QueryAsync(connection, "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name;"));
    }

    [Fact]
    public async Task MigrateAsync_RunTwice_KeepsOneVersionRowAndTheData()
    {
        await using var connection = await OpenAsync();
        await SqliteLedgerSchema.MigrateAsync(connection, CancellationToken.None);
        await ExecuteAsync(
            connection,
            "INSERT INTO requests (id, time_unix_ms, day, client_format, model, status, stream, latency_ms) " +
            "VALUES ('kept', 0, '1970-01-01', 'openai', 'fast', 200, 0, 1.0);");

        await SqliteLedgerSchema.MigrateAsync(connection, CancellationToken.None);

        Assert.Equal(["2"], await QueryAsync(connection, "SELECT version FROM schema_version;"));
        Assert.Equal(["kept"], await QueryAsync(connection, "SELECT id FROM requests;"));
    }

    [Fact]
    public async Task MigrateAsync_DatabaseFromNewerVersion_Throws()
    {
        await using var connection = await OpenAsync();
        await SqliteLedgerSchema.MigrateAsync(connection, CancellationToken.None);
        await ExecuteAsync(connection, "UPDATE schema_version SET version = 99;");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => SqliteLedgerSchema.MigrateAsync(connection, CancellationToken.None));
        Assert.Contains("99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadVersionAsync_NewDatabase_IsZero()
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE schema_version (version INTEGER NOT NULL);");

        Assert.Equal(0, await SqliteLedgerSchema.ReadVersionAsync(connection, null, CancellationToken.None));
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, "schema.db")};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> QueryAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return rows;
    }
}
