using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Spillway.Core.Configuration;

namespace Spillway.Storage.Sqlite;

/// <summary>
/// The clients added with <c>spillway clients add</c>, in <c>spillway.db</c> (tables <c>clients_schema_version</c>
/// and <c>clients</c>). A client's key is stored only as its SHA-256: the key itself is shown once, when it is made.
/// </summary>
public sealed class SqliteClientStore : IClientStore
{
    public const int CurrentVersion = 1;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS clients (
            id                  TEXT    NOT NULL PRIMARY KEY,
            key_sha256          TEXT    NOT NULL UNIQUE,
            allow_paid          INTEGER NOT NULL,
            budget_usd_per_day  TEXT,
            budget_usd_per_month TEXT,
            rpm                 INTEGER,
            models_json         TEXT    NOT NULL,
            no_train            INTEGER NOT NULL,
            created_unix_ms     INTEGER NOT NULL
        );
        """;

    private readonly VersionedTables _tables;

    public SqliteClientStore(string dataDirectory)
    {
        _tables = new VersionedTables(dataDirectory, "clients_schema_version", [Schema], "client tables");
    }

    public string DatabasePath => _tables.DatabasePath;

    /// <summary>Adds a client; false when its id is taken.</summary>
    public async Task<bool> AddAsync(ClientKeyConfig client, DateTimeOffset created, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO clients (id, key_sha256, allow_paid, budget_usd_per_day, budget_usd_per_month, rpm, models_json, no_train, created_unix_ms)
            VALUES ($id, $hash, $allow_paid, $day, $month, $rpm, $models, $no_train, $created)
            ON CONFLICT (id) DO NOTHING;
            """;
        command.Parameters.AddWithValue("$id", client.Id);
        command.Parameters.AddWithValue("$hash", client.KeyHash);
        command.Parameters.AddWithValue("$allow_paid", client.AllowPaid ? 1 : 0);
        command.Parameters.AddWithValue("$day", Money(client.BudgetUsdPerDay));
        command.Parameters.AddWithValue("$month", Money(client.BudgetUsdPerMonth));
        command.Parameters.AddWithValue("$rpm", client.RequestsPerMinute is { } rpm ? rpm : DBNull.Value);
        command.Parameters.AddWithValue("$models", ModelsJson(client.AllowedModels));
        command.Parameters.AddWithValue("$no_train", client.NoTrain ? 1 : 0);
        command.Parameters.AddWithValue("$created", created.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Every stored client, by id.</summary>
    public async Task<IReadOnlyList<StoredClient>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, key_sha256, allow_paid, budget_usd_per_day, budget_usd_per_month, rpm, models_json, no_train, created_unix_ms
            FROM clients ORDER BY id;
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var clients = new List<StoredClient>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var client = new ClientKeyConfig(reader.GetString(0), reader.GetString(1))
            {
                AllowPaid = reader.GetInt64(2) != 0,
                BudgetUsdPerDay = reader.IsDBNull(3) ? null : SqliteLedgerValues.ParseMoney(reader.GetString(3)),
                BudgetUsdPerMonth = reader.IsDBNull(4) ? null : SqliteLedgerValues.ParseMoney(reader.GetString(4)),
                RequestsPerMinute = reader.IsDBNull(5) ? null : reader.GetInt32(5),
                AllowedModels = ModelsOf(reader.GetString(6)),
                NoTrain = reader.GetInt64(7) != 0,
            };
            clients.Add(new StoredClient(client, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8))));
        }

        return clients;
    }

    /// <summary>Removes a client; false when there is none with that id.</summary>
    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM clients WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The stored clients of <paramref name="dataDirectory"/>; none when it has no database yet (none is created).</summary>
    public static async Task<IReadOnlyList<StoredClient>> ListIfAnyAsync(string dataDirectory, CancellationToken cancellationToken) =>
        File.Exists(Path.Combine(dataDirectory, SqliteLedgerStore.FileName))
            ? await new SqliteClientStore(dataDirectory).ListAsync(cancellationToken)
            : [];

    private static string ModelsJson(ImmutableArray<string> models)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var model in models.IsDefault ? [] : models)
            {
                json.WriteStringValue(model);
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static ImmutableArray<string> ModelsOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => e.GetString()!)];
    }

    private static object Money(decimal? amount) =>
        amount is { } value ? value.ToString(CultureInfo.InvariantCulture) : DBNull.Value;
}
