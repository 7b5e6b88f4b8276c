using Npgsql;
using Spillway.Core.Ledger;

namespace Spillway.Storage.Postgres;

/// <summary>
/// The stored Responses API answers in PostgreSQL (table <c>stored_responses</c>), shared by every instance on the
/// database, so a follow-up finds its previous response whichever instance served it. Get it from
/// <see cref="PostgresStorage.Responses"/>; the tables are migrated on first use.
/// </summary>
public sealed class PostgresResponseStore : IResponseStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresSchema _schema;

    internal PostgresResponseStore(NpgsqlDataSource dataSource, PostgresSchema schema)
    {
        _dataSource = dataSource;
        _schema = schema;
    }

    public async ValueTask SaveAsync(StoredResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        await _schema.EnsureAsync(cancellationToken);
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO stored_responses (client_id, id, created_unix_ms, response_json, input_items_json)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (client_id, id) DO UPDATE SET
                created_unix_ms = excluded.created_unix_ms,
                response_json = excluded.response_json,
                input_items_json = excluded.input_items_json;
            """);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = response.ClientId });
        p.Add(new NpgsqlParameter<string> { TypedValue = response.Id });
        p.Add(new NpgsqlParameter<long> { TypedValue = response.CreatedAt.ToUnixTimeMilliseconds() });
        p.Add(new NpgsqlParameter<byte[]> { TypedValue = response.Response.ToArray() });
        p.Add(new NpgsqlParameter<byte[]> { TypedValue = response.InputItems.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<StoredResponse?> FindAsync(string id, string clientId, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(clientId);
        await _schema.EnsureAsync(cancellationToken);
        await using var command = _dataSource.CreateCommand("""
            SELECT created_unix_ms, response_json, input_items_json FROM stored_responses
            WHERE client_id = $1 AND id = $2 AND created_unix_ms >= $3;
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clientId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = notBefore.ToUnixTimeMilliseconds() });
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
        await _schema.EnsureAsync(cancellationToken);
        await using var command = _dataSource.CreateCommand("DELETE FROM stored_responses WHERE client_id = $1 AND id = $2;");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clientId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async ValueTask<long> PruneAsync(DateTimeOffset olderThan, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        await _schema.EnsureAsync(cancellationToken);
        long total = 0;
        while (true)
        {
            await using var command = _dataSource.CreateCommand("""
                DELETE FROM stored_responses
                WHERE (client_id, id) IN (
                    SELECT client_id, id FROM stored_responses
                    WHERE created_unix_ms < $1
                    ORDER BY created_unix_ms
                    LIMIT $2
                    FOR UPDATE SKIP LOCKED);
                """);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = olderThan.ToUnixTimeMilliseconds() });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = batchSize });
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < batchSize)
            {
                return total;
            }
        }
    }
}
