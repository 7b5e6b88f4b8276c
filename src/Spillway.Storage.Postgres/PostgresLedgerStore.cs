using System.Collections.Immutable;
using System.Globalization;
using Npgsql;
using Spillway.Core.Budgets;
using Spillway.Core.Chat;
using Spillway.Core.Ledger;

namespace Spillway.Storage.Postgres;

/// <summary>
/// The ledger in PostgreSQL, shared by every instance pointed at the same database: the same tables and meaning as
/// the SQLite ledger (<c>requests</c>, <c>attempts</c>), so <see cref="ListPageAsync"/>, <see cref="UsageByDayAsync"/>
/// and <see cref="SpendByDayAsync"/> answer the same for the same entries.
/// </summary>
/// <remarks>
/// <para>
/// Get it from <see cref="PostgresStorage.Ledger"/> and call <see cref="InitializeAsync"/> once before use (it runs
/// the migrations, see <see cref="PostgresSchema"/>). Safe to share between threads and between instances: connections
/// come from the data source's pool, and PostgreSQL takes concurrent writers.
/// </para>
/// <para>
/// A batch is one round trip and one transaction: every entry and every attempt go as arrays and are inserted with
/// <c>unnest</c>, so a failing row keeps the whole batch out. An entry whose id is already stored is ignored (with its
/// attempts), so a writer retrying a batch whose outcome it could not see does not fail forever on the primary key.
/// That check is not paid on every batch: the batch is first inserted plainly (two <c>INSERT … SELECT</c>), and only
/// when that fails on a unique key is it written again by the statement that skips stored ids. Under load PostgreSQL
/// spends a third to a half less CPU per entry with the plain insert (bench/results/2026-12-08-ledger-insert.md). Times
/// are kept to the millisecond (UTC); money round-trips exactly.
/// </para>
/// </remarks>
public sealed class PostgresLedgerStore : ILedgerStore, ILedgerUsage, IClientSpendHistory
{
    private const string RequestColumns = """
        id, time_unix_ms, day, client_format, model, route, status, stream,
        input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, cache_write_input_tokens,
        cost_usd, saved_usd, latency_ms, ttft_ms, error, client_id
        """;

    // The entries' arrays, $1 to $19, in the order of RequestColumns (LedgerBatchParameters binds them).
    private const string RequestArrays = """
        $1::text[], $2::bigint[], $3::date[], $4::text[], $5::text[], $6::text[], $7::integer[], $8::boolean[],
        $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[],
        $14::numeric[], $15::numeric[], $16::double precision[], $17::double precision[], $18::text[], $19::text[]
        """;

    private const string AttemptColumns = "request_id, seq, route, key_id, status, outcome, latency_ms, detail";

    // ORDER BY ord: insert_order follows the batch, so entries of the same millisecond list in the order they came.
    private const string InsertRequestsSql = $"""
        INSERT INTO requests ({RequestColumns})
        SELECT {RequestColumns}
        FROM unnest({RequestArrays})
            WITH ORDINALITY AS r ({RequestColumns}, ord)
        ORDER BY ord;
        """;

    private const string InsertAttemptsSql = $"""
        INSERT INTO attempts ({AttemptColumns})
        SELECT {AttemptColumns}
        FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::integer[], $6::text[], $7::double precision[], $8::text[])
            AS a ({AttemptColumns});
        """;

    // The same arrays in one statement ($20 on: the attempts'), skipping entries already stored and their attempts.
    private const string InsertSkippingStoredSql = $"""
        WITH input AS (
            SELECT *
            FROM unnest({RequestArrays})
                WITH ORDINALITY AS r ({RequestColumns}, ord)
        ),
        inserted AS (
            INSERT INTO requests ({RequestColumns})
            SELECT {RequestColumns}
            FROM input
            ORDER BY ord
            ON CONFLICT (id) DO NOTHING
            RETURNING id
        )
        INSERT INTO attempts ({AttemptColumns})
        SELECT {AttemptColumns}
        FROM unnest($20::text[], $21::integer[], $22::text[], $23::text[], $24::integer[], $25::text[], $26::double precision[], $27::text[])
            AS a ({AttemptColumns})
        WHERE a.request_id IN (SELECT id FROM inserted)
        ON CONFLICT (request_id, seq) DO NOTHING;
        """;

    private const string SelectRequestsSql = """
        SELECT id, time_unix_ms, client_format, model, route, status, stream,
               input_tokens, output_tokens, cached_input_tokens, reasoning_tokens,
               cost_usd, saved_usd, latency_ms, ttft_ms, error, client_id, cache_write_input_tokens
        FROM requests
        ORDER BY time_unix_ms DESC, insert_order DESC
        LIMIT $1;
        """;

    // The page after a cursor: the entries that come after it in the order above, (time, insert_order) below its own.
    private const string SelectPageSql = """
        SELECT id, time_unix_ms, client_format, model, route, status, stream,
               input_tokens, output_tokens, cached_input_tokens, reasoning_tokens,
               cost_usd, saved_usd, latency_ms, ttft_ms, error, client_id, cache_write_input_tokens
        FROM requests
        WHERE (time_unix_ms, insert_order) < ($2, $3)
        ORDER BY time_unix_ms DESC, insert_order DESC
        LIMIT $1;
        """;

    private const string PositionSql = "SELECT time_unix_ms, insert_order FROM requests WHERE id = $1;";

    // The attempts go with their entry, in the same statement (no foreign key cascades to them since schema v3). SKIP
    // LOCKED: several instances pruning at once each take other rows instead of waiting for one another.
    private const string PruneSql = """
        WITH doomed AS (
            SELECT id FROM requests
            WHERE time_unix_ms < $1
            ORDER BY time_unix_ms
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        ),
        doomed_attempts AS (
            DELETE FROM attempts WHERE request_id IN (SELECT id FROM doomed)
        )
        DELETE FROM requests WHERE id IN (SELECT id FROM doomed);
        """;

    private const string SelectAttemptsSql = """
        SELECT request_id, route, key_id, status, outcome, latency_ms, detail
        FROM attempts
        WHERE request_id = ANY ($1)
        ORDER BY request_id, seq;
        """;

    // COLLATE "C": routes in byte order whatever the database's collation, as SQLite orders them.
    private const string UsageSql = """
        SELECT day, route, count(*),
               COALESCE(sum(cost_usd), 0), COALESCE(sum(saved_usd), 0),
               count(*) FILTER (WHERE cost_usd IS NULL AND error IS NULL),
               COALESCE(sum(input_tokens), 0)::bigint, COALESCE(sum(output_tokens), 0)::bigint
        FROM requests
        WHERE day >= $1 AND route IS NOT NULL
        GROUP BY day, route
        ORDER BY day, route COLLATE "C";
        """;

    // NULLS FIRST and COLLATE "C": anonymous clients first, then ids in byte order, as SQLite orders them.
    private const string ClientUsageSql = """
        SELECT client_id, count(*), COALESCE(sum(cost_usd), 0), COALESCE(sum(saved_usd), 0)
        FROM requests
        WHERE day >= $1 AND route IS NOT NULL
        GROUP BY client_id
        ORDER BY client_id COLLATE "C" NULLS FIRST;
        """;

    private const string SpendSql = """
        SELECT day, sum(cost_usd)
        FROM requests
        WHERE day >= $1 AND client_id = $2 AND cost_usd IS NOT NULL
        GROUP BY day;
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresSchema _schema;
    private volatile bool _initialized;

    internal PostgresLedgerStore(NpgsqlDataSource dataSource, PostgresSchema schema)
    {
        _dataSource = dataSource;
        _schema = schema;
    }

    /// <summary>Creates or migrates the tables (see <see cref="PostgresSchema"/>). Idempotent.</summary>
    /// <exception cref="InvalidOperationException">The schema is newer than this code.</exception>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        await _schema.EnsureAsync(cancellationToken);
        _initialized = true;
    }

    /// <summary>Writes the batch in one round trip, all or nothing; ids already stored are skipped.</summary>
    public async ValueTask AppendAsync(IReadOnlyList<LedgerEntry> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        EnsureInitialized();
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await InsertAsync(batch, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Some entry is stored already: a retry of a batch whose first write succeeded unseen, or an id twice.
            await using var command = _dataSource.CreateCommand(InsertSkippingStoredSql);
            LedgerBatchParameters.Bind(command.Parameters, command.Parameters, batch);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The entries, then their attempts: two statements in one batch, which runs as one transaction.</summary>
    private async Task InsertAsync(IReadOnlyList<LedgerEntry> batch, CancellationToken cancellationToken)
    {
        await using var insert = _dataSource.CreateBatch();
        var requests = new NpgsqlBatchCommand(InsertRequestsSql);
        var attempts = new NpgsqlBatchCommand(InsertAttemptsSql);
        insert.BatchCommands.Add(requests);
        insert.BatchCommands.Add(attempts);
        LedgerBatchParameters.Bind(requests.Parameters, attempts.Parameters, batch);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A page of entries, newest first, older than <paramref name="beforeId"/>'s entry when given; null when no
    /// entry has that id.</summary>
    public async ValueTask<LedgerPage?> ListPageAsync(int limit, string? beforeId, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        EnsureInitialized();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        (long, long)? cursor = null;
        if (beforeId is not null)
        {
            await using var command = new NpgsqlCommand(PositionSql, connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = beforeId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            cursor = (reader.GetInt64(0), reader.GetInt64(1));
        }

        return LedgerPage.Of(await ReadAsync(connection, LedgerPage.ReadCount(limit), cursor, cancellationToken), limit);
    }

    /// <summary>Deletes the entries older than <paramref name="olderThan"/> and their attempts, one statement (its own
    /// transaction) of at most <paramref name="batchSize"/> entries at a time, so no lock is held for long.</summary>
    public async ValueTask<long> PruneAsync(DateTimeOffset olderThan, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        EnsureInitialized();
        long total = 0;
        while (true)
        {
            await using var command = _dataSource.CreateCommand(PruneSql);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = olderThan.ToUnixTimeMilliseconds() });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = batchSize });
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < batchSize)
            {
                return total;
            }
        }
    }

    private static async Task<List<LedgerEntry>> ReadAsync(NpgsqlConnection connection, int limit, (long Time, long InsertOrder)? cursor, CancellationToken cancellationToken)
    {
        var entries = new List<LedgerEntry>(Math.Min(limit, 1024));
        await using (var command = new NpgsqlCommand(cursor is null ? SelectRequestsSql : SelectPageSql, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = limit });
            if (cursor is { } position)
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = position.Time });
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = position.InsertOrder });
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add(ReadRequest(reader));
            }
        }

        if (entries.Count == 0)
        {
            return entries;
        }

        // An entry's attempts are written in the same statement as the entry and never change after, so reading
        // them second cannot pair an entry with another batch's attempts.
        var attempts = new Dictionary<string, ImmutableArray<AttemptRecord>.Builder>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(SelectAttemptsSql, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. entries.Select(e => e.Id)] });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var requestId = reader.GetString(0);
                if (!attempts.TryGetValue(requestId, out var list))
                {
                    list = ImmutableArray.CreateBuilder<AttemptRecord>();
                    attempts.Add(requestId, list);
                }

                list.Add(new AttemptRecord(
                    Route: reader.GetString(1),
                    KeyId: NullableString(reader, 2),
                    Status: reader.IsDBNull(3) ? null : reader.GetInt32(3),
                    Outcome: reader.GetString(4),
                    LatencyMs: reader.GetDouble(5),
                    Detail: NullableString(reader, 6)));
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

    /// <summary>Spend and savings per UTC day and route since <paramref name="since"/>, exact to the last digit.</summary>
    public async ValueTask<IReadOnlyList<UsageTotals>> UsageByDayAsync(DateOnly since, CancellationToken cancellationToken)
    {
        EnsureInitialized();
        await using var command = _dataSource.CreateCommand(UsageSql);
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = since });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var totals = new List<UsageTotals>();
        while (await reader.ReadAsync(cancellationToken))
        {
            totals.Add(new UsageTotals(
                Day: Day(reader.GetFieldValue<DateOnly>(0)),
                Route: reader.GetString(1),
                Requests: reader.GetInt64(2),
                CostUsd: reader.GetDecimal(3),
                SavedUsd: reader.GetDecimal(4),
                UnpricedRequests: reader.GetInt64(5),
                InputTokens: reader.GetInt64(6),
                OutputTokens: reader.GetInt64(7)));
        }

        return totals;
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ClientUsageTotals>> UsageByClientAsync(DateOnly since, CancellationToken cancellationToken)
    {
        EnsureInitialized();
        await using var command = _dataSource.CreateCommand(ClientUsageSql);
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = since });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var totals = new List<ClientUsageTotals>();
        while (await reader.ReadAsync(cancellationToken))
        {
            totals.Add(new ClientUsageTotals(
                ClientId: reader.IsDBNull(0) ? null : reader.GetString(0),
                Requests: reader.GetInt64(1),
                CostUsd: reader.GetDecimal(2),
                SavedUsd: reader.GetDecimal(3)));
        }

        return totals;
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyDictionary<DateOnly, decimal>> SpendByDayAsync(string clientId, DateOnly since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        EnsureInitialized();
        await using var command = _dataSource.CreateCommand(SpendSql);
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = since });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clientId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var spend = new Dictionary<DateOnly, decimal>();
        while (await reader.ReadAsync(cancellationToken))
        {
            spend[reader.GetFieldValue<DateOnly>(0)] = reader.GetDecimal(1);
        }

        return spend;
    }

    private static LedgerEntry ReadRequest(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        Time = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
        ClientFormat = r.GetString(2),
        Model = r.GetString(3),
        Route = NullableString(r, 4),
        Status = r.GetInt32(5),
        Stream = r.GetBoolean(6),

        // Usage is all or nothing: input_tokens is NULL exactly when the entry had no usage.
        Usage = r.IsDBNull(7)
            ? null
            : new TokenUsage(
                r.GetInt64(7), NullableInt64(r, 8) ?? 0, NullableInt64(r, 9) ?? 0, NullableInt64(r, 10) ?? 0, NullableInt64(r, 17) ?? 0),
        CostUsd = r.IsDBNull(11) ? null : r.GetDecimal(11),
        SavedUsd = r.IsDBNull(12) ? null : r.GetDecimal(12),
        LatencyMs = r.GetDouble(13),
        TtftMs = r.IsDBNull(14) ? null : r.GetDouble(14),
        Error = NullableString(r, 15),
        ClientId = NullableString(r, 16),
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? NullableString(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static long? NullableInt64(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetInt64(ordinal);

    private void EnsureInitialized()
    {
        if (!_initialized)
        {
            throw new InvalidOperationException($"{nameof(PostgresLedgerStore)}.{nameof(InitializeAsync)} has not been called.");
        }
    }
}
