using Npgsql;
using Spillway.TestSupport.Servers;

namespace Spillway.Storage.Postgres.Tests;

/// <summary>The fixture itself: a server of its own (not the shared one), so stopping it harms no other test.</summary>
public sealed class PostgresServerTests
{
    [Fact]
    public async Task DisposeAsync_RunningServerWithOpenConnections_StopsItAndRemovesTheFolder()
    {
        var server = await PostgresServer.StartNewAsync();
        var database = await server.CreateDatabaseAsync();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_database();", connection);
            Assert.StartsWith("t_", (string?)await command.ExecuteScalarAsync(), StringComparison.Ordinal);
        }

        await server.DisposeAsync();

        Assert.False(Directory.Exists(server.Folder));
        Assert.False(await LoopbackPort.AcceptsAsync(server.Port));
    }

    [Fact]
    public async Task CreateDatabaseAsync_Twice_GivesTwoSeparateDatabases()
    {
        await using var server = await PostgresServer.StartNewAsync();

        var first = await server.CreateDatabaseAsync();
        var second = await server.CreateDatabaseAsync();

        Assert.NotEqual(new NpgsqlConnectionStringBuilder(first).Database, new NpgsqlConnectionStringBuilder(second).Database);
    }
}
