using System.Text;
using Microsoft.Data.Sqlite;
using Spillway.Core.Ledger;
using SQLitePCL;

namespace Spillway.Storage.Sqlite;

/// <summary>
/// The two prepared INSERTs of the store's write connection: compiled once for the connection's lifetime, then
/// re-bound and executed for every entry and attempt, inside whatever transaction the connection has open.
/// </summary>
/// <remarks>
/// <para>
/// Not thread-safe: the store uses it under its write lock only. Disposing it finalizes the compiled statements, which
/// must happen before the connection closes.
/// </para>
/// <para>
/// The statements are driven through SQLite's own binding calls rather than <see cref="SqliteCommand"/>, which
/// allocates a binder and boxes a value for every parameter of every execution: the ledger writes one row per
/// request, so that was most of a request's allocations. Values are stored exactly as
/// <see cref="SqliteCommand"/> stored them (text as UTF-8, integers, reals, NULL), and a failing row throws the same
/// <see cref="SqliteException"/> (<c>SQLite Error 19: 'NOT NULL constraint failed: requests.model'</c>).
/// </para>
/// <para>
/// Both use <c>ON CONFLICT DO NOTHING</c>, so writing an entry twice keeps the first copy and does not fail. A writer
/// that retries a batch after a failure whose outcome it could not see must not turn it into a batch that fails
/// forever on the primary key.
/// </para>
/// </remarks>
internal sealed class LedgerInsertCommands : IDisposable
{
    private const string InsertRequestSql = """
        INSERT INTO requests (
            id, time_unix_ms, day, client_format, model, route, status, stream,
            input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, cache_write_input_tokens,
            cost_usd, saved_usd, latency_ms, ttft_ms, error, client_id)
        VALUES (
            $id, $time_unix_ms, $day, $client_format, $model, $route, $status, $stream,
            $input_tokens, $output_tokens, $cached_input_tokens, $reasoning_tokens, $cache_write_input_tokens,
            $cost_usd, $saved_usd, $latency_ms, $ttft_ms, $error, $client_id)
        ON CONFLICT (id) DO NOTHING;
        """;

    private const string InsertAttemptSql = """
        INSERT INTO attempts (request_id, seq, route, key_id, status, outcome, latency_ms, detail)
        VALUES ($request_id, $seq, $route, $key_id, $status, $outcome, $latency_ms, $detail)
        ON CONFLICT (request_id, seq) DO NOTHING;
        """;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _request;
    private readonly sqlite3_stmt _attempt;

    /// <summary>Reused for every text value's UTF-8 bytes (SQLite copies them when bound).</summary>
    private byte[] _utf8 = new byte[512];

    public LedgerInsertCommands(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _db = connection.Handle ?? throw new InvalidOperationException("The ledger's write connection is not open.");
        _request = Prepare(_db, InsertRequestSql);
        try
        {
            _attempt = Prepare(_db, InsertAttemptSql);
        }
        catch
        {
            _request.Dispose();
            throw;
        }
    }

    /// <summary>Inserts one entry and its attempts (numbered from 0 in their order).</summary>
    /// <remarks>
    /// Synchronous on purpose: this runs on the ledger's background writer, never on a request. Parameters are bound
    /// by position, in the order the statement names them (checked when it is prepared).
    /// </remarks>
    public void Insert(LedgerEntry entry)
    {
        // Required strings are bound as NULL when missing: a null smuggled past nullable analysis then fails as a
        // clear NOT NULL constraint naming the column.
        var s = _request;
        var usage = entry.Usage;
        BindText(s, 1, entry.Id);
        BindInt64(s, 2, entry.Time.ToUnixTimeMilliseconds());
        BindText(s, 3, SqliteLedgerValues.Day(entry.Time));
        BindText(s, 4, entry.ClientFormat);
        BindText(s, 5, entry.Model);
        BindText(s, 6, entry.Route);
        BindInt64(s, 7, entry.Status);
        BindInt64(s, 8, entry.Stream ? 1 : 0);
        BindInt64(s, 9, usage?.InputTokens);
        BindInt64(s, 10, usage?.OutputTokens);
        BindInt64(s, 11, usage?.CachedInputTokens);
        BindInt64(s, 12, usage?.ReasoningTokens);
        BindInt64(s, 13, usage?.CacheWriteInputTokens);
        BindText(s, 14, SqliteLedgerValues.Money(entry.CostUsd));
        BindText(s, 15, SqliteLedgerValues.Money(entry.SavedUsd));
        BindDouble(s, 16, entry.LatencyMs);
        BindDouble(s, 17, entry.TtftMs);
        BindText(s, 18, entry.Error);
        BindText(s, 19, entry.ClientId);
        Execute(s);

        // A default ImmutableArray cannot be enumerated; treat it as "no attempts" rather than fail the batch.
        if (entry.Attempts.IsDefaultOrEmpty)
        {
            return;
        }

        var a = _attempt;
        for (var seq = 0; seq < entry.Attempts.Length; seq++)
        {
            var attempt = entry.Attempts[seq];
            BindText(a, 1, entry.Id);
            BindInt64(a, 2, seq);
            BindText(a, 3, attempt.Route);
            BindText(a, 4, attempt.KeyId);
            BindInt64(a, 5, attempt.Status);
            BindText(a, 6, attempt.Outcome);
            BindDouble(a, 7, attempt.LatencyMs);
            BindText(a, 8, attempt.Detail);
            Execute(a);
        }
    }

    public void Dispose()
    {
        _request.Dispose();
        _attempt.Dispose();
    }

    /// <summary>The parameter names of <paramref name="sql"/> in the order of their first use (SQLite numbers them so).</summary>
    internal static List<string> ParameterNames(string sql)
    {
        var names = new List<string>();
        for (var i = sql.IndexOf('$', StringComparison.Ordinal); i >= 0; i = sql.IndexOf('$', i + 1))
        {
            var end = i + 1;
            while (end < sql.Length && (char.IsAsciiLetterOrDigit(sql[end]) || sql[end] == '_'))
            {
                end++;
            }

            var name = sql[i..end];
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }

        return names;
    }

    private static sqlite3_stmt Prepare(sqlite3 db, string sql)
    {
        Check(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
        try
        {
            // Insert binds by position; a statement whose parameters are not numbered as listed must fail here, loudly.
            var names = ParameterNames(sql);
            if (raw.sqlite3_bind_parameter_count(statement) != names.Count)
            {
                throw new InvalidOperationException($"The ledger insert has {raw.sqlite3_bind_parameter_count(statement)} parameters, {names.Count} expected.");
            }

            for (var i = 0; i < names.Count; i++)
            {
                if (raw.sqlite3_bind_parameter_index(statement, names[i]) != i + 1)
                {
                    throw new InvalidOperationException($"The ledger insert's parameter {names[i]} is not number {i + 1}.");
                }
            }

            return statement;
        }
        catch
        {
            statement.Dispose();
            throw;
        }
    }

    private void Execute(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        try
        {
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    private void BindText(sqlite3_stmt statement, int index, string? value)
    {
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(statement, index), _db);
            return;
        }

        if (value.Length == 0)
        {
            // An empty span binds NULL; the string overload binds the empty text.
            Check(raw.sqlite3_bind_text(statement, index, string.Empty), _db);
            return;
        }

        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max > _utf8.Length)
        {
            _utf8 = new byte[Math.Max(max, _utf8.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(value, _utf8);
        Check(raw.sqlite3_bind_text(statement, index, _utf8.AsSpan(0, length)), _db);
    }

    private void BindInt64(sqlite3_stmt statement, int index, long? value) =>
        Check(value is { } v ? raw.sqlite3_bind_int64(statement, index, v) : raw.sqlite3_bind_null(statement, index), _db);

    private void BindDouble(sqlite3_stmt statement, int index, double? value)
    {
        if (value is { } v && double.IsNaN(v))
        {
            // SQLite would store NaN as NULL; SqliteCommand refused it, and so does this.
            throw new InvalidOperationException("Cannot store 'NaN' values.");
        }

        Check(value is { } d ? raw.sqlite3_bind_double(statement, index, d) : raw.sqlite3_bind_null(statement, index), _db);
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }
}
