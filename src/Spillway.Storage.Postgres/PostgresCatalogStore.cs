using Npgsql;
using Spillway.Core.Catalog;

namespace Spillway.Storage.Postgres;

/// <summary>
/// The last good list of each model catalog source, in PostgreSQL (table <c>catalog_snapshots</c>: one row per source
/// holding its models as JSON, as in SQLite). Get it from <see cref="PostgresStorage.Catalog"/>; the tables are
/// migrated on first use.
/// </summary>
public sealed class PostgresCatalogStore : ICatalogStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresSchema _schema;

    internal PostgresCatalogStore(NpgsqlDataSource dataSource, PostgresSchema schema)
    {
        _dataSource = dataSource;
        _schema = schema;
    }

    public async Task<ModelCatalog?> LoadAsync(string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        await _schema.EnsureAsync(cancellationToken);
        await using var command = _dataSource.CreateCommand(
            "SELECT base_url, fetched_unix_ms, models_json FROM catalog_snapshots WHERE source = $1;");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new ModelCatalog(
            new Uri(reader.GetString(0)),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
            CatalogModelsJson.Deserialize(reader.GetFieldValue<byte[]>(2)));
    }

    public async Task SaveAsync(string source, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(catalog);
        await _schema.EnsureAsync(cancellationToken);
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO catalog_snapshots (source, base_url, fetched_unix_ms, models_json)
            VALUES ($1, $2, $3, $4)
            ON CONFLICT (source) DO UPDATE SET
                base_url = excluded.base_url, fetched_unix_ms = excluded.fetched_unix_ms, models_json = excluded.models_json;
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = catalog.BaseUrl.AbsoluteUri });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = catalog.FetchedAt.ToUnixTimeMilliseconds() });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = CatalogModelsJson.Serialize(catalog.Models) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
