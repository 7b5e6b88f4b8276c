using Microsoft.Data.Sqlite;
using Spillway.Core.Catalog;

namespace Spillway.Storage.Sqlite;

/// <summary>
/// The last good list of each model catalog source, in the same <c>spillway.db</c> as the ledger but in tables of its
/// own (<c>catalog_schema_version</c>, <c>catalog_snapshots</c>: one row per source holding its models as JSON), so
/// the ledger's migrations and these never touch each other. The tables are created on first use.
/// </summary>
public sealed class SqliteCatalogStore : ICatalogStore
{
    /// <summary>The version of the catalog tables this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS catalog_snapshots (
            source          TEXT    NOT NULL PRIMARY KEY,
            base_url        TEXT    NOT NULL,
            fetched_unix_ms INTEGER NOT NULL,
            models_json     BLOB    NOT NULL
        );
        """;

    private readonly VersionedTables _tables;

    /// <summary>Points the store at <c>spillway.db</c> in <paramref name="dataDirectory"/>, creating the directory.</summary>
    public SqliteCatalogStore(string dataDirectory)
    {
        _tables = new VersionedTables(dataDirectory, "catalog_schema_version", [Schema], "catalog tables");
    }

    public string DatabasePath => _tables.DatabasePath;

    public async Task<ModelCatalog?> LoadAsync(string source, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT base_url, fetched_unix_ms, models_json FROM catalog_snapshots WHERE source = $source;";
        command.Parameters.AddWithValue("$source", source);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new ModelCatalog(
            new Uri(reader.GetString(0)),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
            CatalogModelsJson.Deserialize((byte[])reader.GetValue(2)));
    }

    public async Task SaveAsync(string source, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO catalog_snapshots (source, base_url, fetched_unix_ms, models_json)
            VALUES ($source, $base_url, $fetched, $models)
            ON CONFLICT (source) DO UPDATE SET
                base_url = excluded.base_url, fetched_unix_ms = excluded.fetched_unix_ms, models_json = excluded.models_json;
            """;
        command.Parameters.AddWithValue("$source", source);
        command.Parameters.AddWithValue("$base_url", catalog.BaseUrl.AbsoluteUri);
        command.Parameters.AddWithValue("$fetched", catalog.FetchedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$models", CatalogModelsJson.Serialize(catalog.Models));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => _tables.OpenAsync(cancellationToken);
}
