using System.Collections.Immutable;
using Npgsql;
using Spillway.Core.Configuration;

namespace Spillway.Storage.Postgres;

/// <summary>
/// The clients added with <c>spillway clients add</c>, in PostgreSQL (table <c>clients</c>), shared by every instance
/// on the database. A client's key is stored only as its SHA-256. Get it from <see cref="PostgresStorage.Clients"/>;
/// the tables are migrated on first use.
/// </summary>
public sealed class PostgresClientStore : IClientStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresSchema _schema;

    internal PostgresClientStore(NpgsqlDataSource dataSource, PostgresSchema schema)
    {
        _dataSource = dataSource;
        _schema = schema;
    }

    /// <summary>Adds a client; false when its id is taken.</summary>
    /// <exception cref="PostgresException">Another client has the same key (unique violation on its hash).</exception>
    public async Task<bool> AddAsync(ClientKeyConfig client, DateTimeOffset created, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await _schema.EnsureAsync(cancellationToken);
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO clients (id, key_sha256, allow_paid, budget_usd_per_day, budget_usd_per_month, rpm, models, no_train, created_unix_ms)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (id) DO NOTHING;
            """);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = client.Id });
        p.Add(new NpgsqlParameter<string> { TypedValue = client.KeyHash });
        p.Add(new NpgsqlParameter<bool> { TypedValue = client.AllowPaid });
        p.Add(new NpgsqlParameter<decimal?> { TypedValue = client.BudgetUsdPerDay });
        p.Add(new NpgsqlParameter<decimal?> { TypedValue = client.BudgetUsdPerMonth });
        p.Add(new NpgsqlParameter<int?> { TypedValue = client.RequestsPerMinute });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = client.AllowedModels.IsDefault ? [] : [.. client.AllowedModels] });
        p.Add(new NpgsqlParameter<bool> { TypedValue = client.NoTrain });
        p.Add(new NpgsqlParameter<long> { TypedValue = created.ToUnixTimeMilliseconds() });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Every stored client, by id (ordinal order).</summary>
    public async Task<IReadOnlyList<StoredClient>> ListAsync(CancellationToken cancellationToken)
    {
        await _schema.EnsureAsync(cancellationToken);
        await using var command = _dataSource.CreateCommand("""
            SELECT id, key_sha256, allow_paid, budget_usd_per_day, budget_usd_per_month, rpm, models, no_train, created_unix_ms
            FROM clients ORDER BY id COLLATE "C";
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var clients = new List<StoredClient>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var client = new ClientKeyConfig(reader.GetString(0), reader.GetString(1))
            {
                AllowPaid = reader.GetBoolean(2),
                BudgetUsdPerDay = reader.IsDBNull(3) ? null : reader.GetDecimal(3),
                BudgetUsdPerMonth = reader.IsDBNull(4) ? null : reader.GetDecimal(4),
                RequestsPerMinute = reader.IsDBNull(5) ? null : reader.GetInt32(5),
                AllowedModels = [.. reader.GetFieldValue<string[]>(6)],
                NoTrain = reader.GetBoolean(7),
            };
            clients.Add(new StoredClient(client, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8))));
        }

        return clients;
    }

    /// <summary>Removes a client; false when there is none with that id.</summary>
    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await _schema.EnsureAsync(cancellationToken);
        await using var command = _dataSource.CreateCommand("DELETE FROM clients WHERE id = $1;");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
