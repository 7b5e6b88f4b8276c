using Microsoft.Data.Sqlite;
using Spillway.Core.Ledger;

namespace Spillway.Storage.Sqlite;

/// <summary>
/// The stored Responses API answers in <c>spillway.db</c> (tables <c>responses_schema_version</c> and
/// <c>stored_responses</c>): one row per client and response id, the response object and the conversation's input
/// items kept as the UTF-8 JSON bytes they were.
/// </summary>
public sealed class SqliteResponseStore : IResponseStore
{
    public const int CurrentVersion = 1;

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE stored_responses (
            client_id        TEXT    NOT NULL,
            id               TEXT    NOT NULL,
            created_unix_ms  INTEGER NOT NULL,
            response_json    BLOB    NOT NULL,
            input_items_json BLOB    NOT NULL,
            PRIMARY KEY (client_id, id)
        );
        CREATE INDEX ix_stored_responses_created ON stored_responses (created_unix_ms);
        """,
    ];

    private readonly VersionedTables _tables;

    public SqliteResponseStore(string dataDirectory)
    {
        _tables = new VersionedTables(dataDirectory, "responses_schema_version", Migrations, "stored response tables");
    }

    public string DatabasePath => _tables.DatabasePath;

    public async ValueTask SaveAsync(StoredResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO stored_responses (client_id, id, created_unix_ms, response_json, input_items_json)
            VALUES ($client, $id, $created, $response, $input)
            ON CONFLICT (client_id, id) DO UPDATE SET
                created_unix_ms = excluded.created_unix_ms,
                response_json = excluded.response_json,
                input_items_json = excluded.input_items_json;
            """;
        command.Parameters.AddWithValue("$client", response.ClientId);
        command.Parameters.AddWithValue("$id", response.Id);
        command.Parameters.AddWithValue("$created", response.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.Add("$response", SqliteType.Blob).Value = response.Response.ToArray();
        command.Parameters.Add("$input", SqliteType.Blob).Value = response.InputItems.ToArray();
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<StoredResponse?> FindAsync(string id, string clientId, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(clientId);
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT created_unix_ms, response_json, input_items_json FROM stored_responses
            WHERE client_id = $client AND id = $id AND created_unix_ms >= $not_before;
            """;
        command.Parameters.AddWithValue("$client", clientId);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$not_before", notBefore.ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredResponse(
            id,
            clientId,
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
            reader.GetFieldValue<byte[]>(1),
            reader.GetFieldValue<byte[]>(2));
    }

    public async ValueTask<bool> DeleteAsync(string id, string clientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(clientId);
        await using var connection = await _tables.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM stored_responses WHERE client_id = $client AND id = $id;";
        command.Parameters.AddWithValue("$client", clientId);
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async ValueTask<long> PruneAsync(DateTimeOffset olderThan, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        await using var connection = await _tables.OpenAsync(cancellationToken);
        long deleted = 0;
        while (true)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                DELETE FROM stored_responses WHERE rowid IN
                    (SELECT rowid FROM stored_responses WHERE created_unix_ms < $older LIMIT $batch);
                """;
            command.Parameters.AddWithValue("$older", olderThan.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$batch", batchSize);
            var count = await command.ExecuteNonQueryAsync(cancellationToken);
            deleted += count;
            if (count < batchSize)
            {
                return deleted;
            }
        }
    }
}
