using System.Collections.Immutable;
using Microsoft.Data.Sqlite;
using Spillway.Core.Chat;
using Spillway.Core.Ledger;

namespace Spillway.Storage.Sqlite;

/// <summary>Reads the newest requests and their attempts back into <see cref="LedgerEntry"/> values: two queries, no N+1.</summary>
internal static class LedgerRowReader
{
    // rowid breaks ties between entries of the same millisecond: the later insert counts as newer. A page after a
    // cursor takes the entries that come after it in exactly this order: (time, rowid) below the cursor's.
    private const string Order = "ORDER BY time_unix_ms DESC, rowid DESC";
    private const string AfterCursor = "WHERE time_unix_ms < $time OR (time_unix_ms = $time AND rowid < $rowid)";

    private const string Columns = """
        SELECT id, time_unix_ms, client_format, model, route, status, stream,
               input_tokens, output_tokens, cached_input_tokens, reasoning_tokens,
               cost_usd, saved_usd, latency_ms, ttft_ms, error, client_id, cache_write_input_tokens
        FROM requests
        """;

    private const string AttemptColumns = "SELECT request_id, route, key_id, status, outcome, latency_ms, detail FROM attempts";

    /// <summary>The position of entry <paramref name="id"/> in the ledger's order, or null when no entry has it.</summary>
    public static async Task<(long Time, long RowId)?> PositionOfAsync(
        SqliteConnection connection, SqliteTransaction transaction, string id, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT time_unix_ms, rowid FROM requests WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    /// <summary>Reads up to <paramref name="limit"/> entries, newest first, after <paramref name="cursor"/> when given;
    /// call inside one read transaction.</summary>
    public static async Task<IReadOnlyList<LedgerEntry>> ReadAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        int limit,
        (long Time, long RowId)? cursor,
        CancellationToken cancellationToken)
    {
        var where = cursor is null ? string.Empty : AfterCursor;
        var pageIds = $"SELECT id FROM requests {where} {Order} LIMIT $limit";
        var entries = new List<LedgerEntry>(Math.Min(limit, 1024));
        await using (var command = Create(connection, transaction, $"{Columns} {where} {Order} LIMIT $limit;", limit, cursor))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add(ReadRequest(reader));
            }
        }

        var attempts = new Dictionary<string, ImmutableArray<AttemptRecord>.Builder>(StringComparer.Ordinal);
        var attemptsSql = $"{AttemptColumns} WHERE request_id IN ({pageIds}) ORDER BY request_id, seq;";
        await using (var command = Create(connection, transaction, attemptsSql, limit, cursor))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var requestId = reader.GetString(0);
                if (!attempts.TryGetValue(requestId, out var list))
                {
                    list = ImmutableArray.CreateBuilder<AttemptRecord>();
                    attempts.Add(requestId, list);
                }

                list.Add(ReadAttempt(reader));
            }
        }

        for (var i = 0; i < entries.Count; i++)
        {
            if (attempts.TryGetValue(entries[i].Id, out var list))
            {
                entries[i] = entries[i] with { Attempts = list.ToImmutable() };
            }
        }

        return entries;
    }

    private static SqliteCommand Create(SqliteConnection connection, SqliteTransaction transaction, string sql, int limit, (long Time, long RowId)? cursor)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$limit", limit);
        if (cursor is { } position)
        {
            command.Parameters.AddWithValue("$time", position.Time);
            command.Parameters.AddWithValue("$rowid", position.RowId);
        }

        return command;
    }

    private static LedgerEntry ReadRequest(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Time = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
        ClientFormat = r.GetString(2),
        Model = r.GetString(3),
        Route = NullableString(r, 4),
        Status = r.GetInt32(5),
        Stream = r.GetInt64(6) != 0,

        // Usage is all or nothing: input_tokens is NULL exactly when the entry had no usage.
        Usage = r.IsDBNull(7)
            ? null
            : new TokenUsage(
                r.GetInt64(7), NullableInt64(r, 8) ?? 0, NullableInt64(r, 9) ?? 0, NullableInt64(r, 10) ?? 0, NullableInt64(r, 17) ?? 0),
        CostUsd = SqliteLedgerValues.ParseMoney(NullableString(r, 11)),
        SavedUsd = SqliteLedgerValues.ParseMoney(NullableString(r, 12)),
        LatencyMs = r.GetDouble(13),
        TtftMs = r.IsDBNull(14) ? null : r.GetDouble(14),
        Error = NullableString(r, 15),
        ClientId = NullableString(r, 16),
    };

    private static AttemptRecord ReadAttempt(SqliteDataReader r) => new(
        Route: r.GetString(1),
        KeyId: NullableString(r, 2),
        Status: r.IsDBNull(3) ? null : r.GetInt32(3),
        Outcome: r.GetString(4),
        LatencyMs: r.GetDouble(5),
        Detail: NullableString(r, 6));

    private static string? NullableString(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static long? NullableInt64(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetInt64(ordinal);
}
