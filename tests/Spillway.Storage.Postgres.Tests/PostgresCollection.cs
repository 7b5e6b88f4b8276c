using Spillway.TestSupport.Servers;

namespace Spillway.Storage.Postgres.Tests;

/// <summary>One PostgreSQL server for every test class of this project (starting one takes a second or two); each test
/// gets a database of its own from <see cref="PostgresTest"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServerFixture>
{
    public const string Name = "postgres";
}

/// <summary>Starts the shared server; when PostgreSQL is missing every test of the collection fails with what to install.</summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL server has not started.");

    public async Task InitializeAsync() => _server = await PostgresServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>A fresh database per test, and <see cref="PostgresStorage"/> instances on it that are disposed after the test.</summary>
[Collection(PostgresCollection.Name)]
public abstract class PostgresTest : IAsyncLifetime
{
    private readonly PostgresServerFixture _fixture;
    private readonly List<PostgresStorage> _storages = [];

    protected PostgresTest(PostgresServerFixture fixture)
    {
        _fixture = fixture;
    }

    /// <summary>The connection string of this test's own database.</summary>
    protected string ConnectionString { get; private set; } = "";

    protected PostgresServer Server => _fixture.Server;

    public async Task InitializeAsync() => ConnectionString = await _fixture.Server.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var storage in _storages)
        {
            await storage.DisposeAsync();
        }
    }

    /// <summary>A new instance's storage on this test's database, not yet initialized.</summary>
    protected PostgresStorage Create(string? connectionString = null)
    {
        var storage = PostgresStorage.Create(connectionString ?? ConnectionString);
        _storages.Add(storage);
        return storage;
    }

    /// <summary>A new instance's storage on this test's database, migrated.</summary>
    protected async Task<PostgresStorage> OpenAsync()
    {
        var storage = Create();
        await storage.InitializeAsync(CancellationToken.None);
        return storage;
    }

    /// <summary>Runs a query on a connection of its own, outside the stores and their pool.</summary>
    protected async Task<List<T>> QueryAsync<T>(string sql, Func<Npgsql.NpgsqlDataReader, T> read)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false };
        await using var connection = new Npgsql.NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Runs a statement on a connection of its own.</summary>
    protected async Task ExecuteAsync(string sql)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false };
        await using var connection = new Npgsql.NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
