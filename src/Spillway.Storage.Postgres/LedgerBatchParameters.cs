using Npgsql;
using Spillway.Core.Ledger;

namespace Spillway.Storage.Postgres;

/// <summary>
/// A ledger batch as array parameters: 19 for the columns of <c>requests</c> (an element per entry), then 8 for those
/// of <c>attempts</c> (an element per attempt, numbered from 0 within its entry).
/// </summary>
internal static class LedgerBatchParameters
{
    /// <summary>Adds the entries' arrays to <paramref name="requests"/> and the attempts' to <paramref name="attempts"/>,
    /// which may be the same collection (then the attempts' are its parameters 20 to 27).</summary>
    public static void Bind(NpgsqlParameterCollection requests, NpgsqlParameterCollection attempts, IReadOnlyList<LedgerEntry> batch)
    {
        var n = batch.Count;
        var id = new string?[n];
        var time = new long[n];
        var day = new DateOnly[n];
        var clientFormat = new string?[n];
        var model = new string?[n];
        var route = new string?[n];
        var status = new int[n];
        var stream = new bool[n];
        var input = new long?[n];
        var output = new long?[n];
        var cached = new long?[n];
        var reasoning = new long?[n];
        var cacheWrite = new long?[n];
        var cost = new decimal?[n];
        var saved = new decimal?[n];
        var latency = new double[n];
        var ttft = new double?[n];
        var error = new string?[n];
        var client = new string?[n];

        var attemptCount = 0;
        for (var i = 0; i < n; i++)
        {
            var entry = batch[i];
            var usage = entry.Usage;

            // Required strings go as NULL when missing: a null smuggled past nullable analysis then fails as a clear
            // NOT NULL violation naming the column, and the whole batch with it.
            id[i] = entry.Id;
            time[i] = entry.Time.ToUnixTimeMilliseconds();
            day[i] = DateOnly.FromDateTime(entry.Time.UtcDateTime);
            clientFormat[i] = entry.ClientFormat;
            model[i] = entry.Model;
            route[i] = entry.Route;
            status[i] = entry.Status;
            stream[i] = entry.Stream;
            input[i] = usage?.InputTokens;
            output[i] = usage?.OutputTokens;
            cached[i] = usage?.CachedInputTokens;
            reasoning[i] = usage?.ReasoningTokens;
            cacheWrite[i] = usage?.CacheWriteInputTokens;
            cost[i] = entry.CostUsd;
            saved[i] = entry.SavedUsd;
            latency[i] = entry.LatencyMs;
            ttft[i] = entry.TtftMs;
            error[i] = entry.Error;
            client[i] = entry.ClientId;

            // A default ImmutableArray cannot be enumerated; treat it as "no attempts" rather than fail the batch.
            attemptCount += entry.Attempts.IsDefaultOrEmpty ? 0 : entry.Attempts.Length;
        }

        var requestId = new string?[attemptCount];
        var seq = new int[attemptCount];
        var attemptRoute = new string?[attemptCount];
        var keyId = new string?[attemptCount];
        var attemptStatus = new int?[attemptCount];
        var outcome = new string?[attemptCount];
        var attemptLatency = new double[attemptCount];
        var detail = new string?[attemptCount];
        var a = 0;
        foreach (var entry in batch)
        {
            if (entry.Attempts.IsDefaultOrEmpty)
            {
                continue;
            }

            for (var s = 0; s < entry.Attempts.Length; s++, a++)
            {
                var attempt = entry.Attempts[s];
                requestId[a] = entry.Id;
                seq[a] = s;
                attemptRoute[a] = attempt.Route;
                keyId[a] = attempt.KeyId;
                attemptStatus[a] = attempt.Status;
                outcome[a] = attempt.Outcome;
                attemptLatency[a] = attempt.LatencyMs;
                detail[a] = attempt.Detail;
            }
        }

        Add(requests, id);
        Add(requests, time);
        Add(requests, day);
        Add(requests, clientFormat);
        Add(requests, model);
        Add(requests, route);
        Add(requests, status);
        Add(requests, stream);
        Add(requests, input);
        Add(requests, output);
        Add(requests, cached);
        Add(requests, reasoning);
        Add(requests, cacheWrite);
        Add(requests, cost);
        Add(requests, saved);
        Add(requests, latency);
        Add(requests, ttft);
        Add(requests, error);
        Add(requests, client);

        Add(attempts, requestId);
        Add(attempts, seq);
        Add(attempts, attemptRoute);
        Add(attempts, keyId);
        Add(attempts, attemptStatus);
        Add(attempts, outcome);
        Add(attempts, attemptLatency);
        Add(attempts, detail);
    }

    private static void Add<T>(NpgsqlParameterCollection parameters, T[] values) =>
        parameters.Add(new NpgsqlParameter<T[]> { TypedValue = values });
}
