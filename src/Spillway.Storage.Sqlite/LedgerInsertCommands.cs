using Microsoft.Data.Sqlite;
using Spillway.Core.Ledger;

namespace Spillway.Storage.Sqlite;

/// <summary>
/// The two prepared INSERTs of the store's write connection: compiled once for the connection's lifetime, then joined to
/// each batch's transaction with <see cref="Enlist"/> and re-bound and executed for every entry and attempt.
/// </summary>
/// <remarks>
/// <para>
/// Not thread-safe: the store uses it under its write lock only. Disposing it finalizes the compiled statements, which
/// must happen before the connection closes.
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

    private readonly SqliteCommand _request;
    private readonly SqliteCommand _attempt;

    public LedgerInsertCommands(SqliteConnection connection)
    {
        _request = Create(connection, InsertRequestSql);
        try
        {
            _attempt = Create(connection, InsertAttemptSql);
        }
        catch
        {
            _request.Dispose();
            throw;
        }
    }

    /// <summary>Makes the next inserts part of <paramref name="transaction"/> (the connection's current one, or null).</summary>
    public void Enlist(SqliteTransaction? transaction)
    {
        _request.Transaction = transaction;
        _attempt.Transaction = transaction;
    }

    /// <summary>Inserts one entry and its attempts (numbered from 0 in their order).</summary>
    /// <remarks>
    /// Synchronous on purpose: Microsoft.Data.Sqlite runs its async methods synchronously anyway, and this runs on the
    /// ledger's background writer, never on a request.
    /// </remarks>
    public void Insert(LedgerEntry entry)
    {
        // Required strings go through OrNull too: a null smuggled past nullable analysis then fails as a clear
        // NOT NULL constraint naming the column, not as an anonymous "Value must be set".
        var p = _request.Parameters;
        p["$id"].Value = SqliteLedgerValues.OrNull(entry.Id);
        p["$time_unix_ms"].Value = entry.Time.ToUnixTimeMilliseconds();
        p["$day"].Value = SqliteLedgerValues.Day(entry.Time);
        p["$client_format"].Value = SqliteLedgerValues.OrNull(entry.ClientFormat);
        p["$model"].Value = SqliteLedgerValues.OrNull(entry.Model);
        p["$route"].Value = SqliteLedgerValues.OrNull(entry.Route);
        p["$status"].Value = entry.Status;
        p["$stream"].Value = entry.Stream ? 1 : 0;
        p["$input_tokens"].Value = SqliteLedgerValues.OrNull(entry.Usage?.InputTokens);
        p["$output_tokens"].Value = SqliteLedgerValues.OrNull(entry.Usage?.OutputTokens);
        p["$cached_input_tokens"].Value = SqliteLedgerValues.OrNull(entry.Usage?.CachedInputTokens);
        p["$reasoning_tokens"].Value = SqliteLedgerValues.OrNull(entry.Usage?.ReasoningTokens);
        p["$cache_write_input_tokens"].Value = SqliteLedgerValues.OrNull(entry.Usage?.CacheWriteInputTokens);
        p["$cost_usd"].Value = SqliteLedgerValues.Money(entry.CostUsd);
        p["$saved_usd"].Value = SqliteLedgerValues.Money(entry.SavedUsd);
        p["$latency_ms"].Value = entry.LatencyMs;
        p["$ttft_ms"].Value = SqliteLedgerValues.OrNull(entry.TtftMs);
        p["$error"].Value = SqliteLedgerValues.OrNull(entry.Error);
        p["$client_id"].Value = SqliteLedgerValues.OrNull(entry.ClientId);
        _request.ExecuteNonQuery();

        // A default ImmutableArray cannot be enumerated; treat it as "no attempts" rather than fail the batch.
        if (entry.Attempts.IsDefaultOrEmpty)
        {
            return;
        }

        var a = _attempt.Parameters;
        a["$request_id"].Value = SqliteLedgerValues.OrNull(entry.Id);
        for (var seq = 0; seq < entry.Attempts.Length; seq++)
        {
            var attempt = entry.Attempts[seq];
            a["$seq"].Value = seq;
            a["$route"].Value = SqliteLedgerValues.OrNull(attempt.Route);
            a["$key_id"].Value = SqliteLedgerValues.OrNull(attempt.KeyId);
            a["$status"].Value = SqliteLedgerValues.OrNull(attempt.Status);
            a["$outcome"].Value = SqliteLedgerValues.OrNull(attempt.Outcome);
            a["$latency_ms"].Value = attempt.LatencyMs;
            a["$detail"].Value = SqliteLedgerValues.OrNull(attempt.Detail);
            _attempt.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        _request.Dispose();
        _attempt.Dispose();
    }

    private static SqliteCommand Create(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;

        // Declare every $name the statement uses once; InsertAsync only sets values, so a name missing here fails loudly.
        foreach (var name in ParameterNames(sql))
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        command.Prepare();
        return command;
    }

    private static IEnumerable<string> ParameterNames(string sql)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = sql.IndexOf('$', StringComparison.Ordinal); i >= 0; i = sql.IndexOf('$', i + 1))
        {
            var end = i + 1;
            while (end < sql.Length && (char.IsAsciiLetterOrDigit(sql[end]) || sql[end] == '_'))
            {
                end++;
            }

            var name = sql[i..end];
            if (seen.Add(name))
            {
                yield return name;
            }
        }
    }
}
