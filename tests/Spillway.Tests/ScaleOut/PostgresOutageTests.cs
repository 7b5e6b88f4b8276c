using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Spillway.Core.Ledger;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.ScaleOut;

/// <summary>
/// PostgreSQL (the shared ledger) stopped mid-run and started again: requests never wait on it, the ledger entries
/// wait in memory (bounded) and land once it is back, and <c>/healthz</c> says what is going on.
/// </summary>
/// <remarks>
/// The ledger writer retries a failed batch after a backoff timed by the gateway's clock, which here is the fake one:
/// while the test does not move it, a failed batch stays in memory, so what is queued and what is dropped is exact.
/// </remarks>
public sealed class PostgresOutageTests
{
    // Only bounds how long a request may take while the database is down; a request that waited on it would wait for
    // the writer's retry, which the frozen clock never lets come.
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task PostgresStopped_RequestsServedAtOnceAndHealthDegraded_ThenBufferedEntriesLandWhenItReturns()
    {
        await using var cluster = await GatewayCluster.StartAsync(2, [new SimulatedProvider("groq", SimulatorStyle.Groq)], postgres: true);
        var postgres = cluster.Postgres!;
        var before = await Health(cluster.Instances[0]);
        Assert.Equal("ok", before.GetProperty("status").GetString());
        Assert.Equal((0, 0), Ledger(before));

        await postgres.StopAsync();
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await cluster.Instances[i % 2].PostAsync("/v1/chat/completions", TestGateway.ChatBody("chain"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(watch.Elapsed < Prompt, $"request {i} took {watch.Elapsed} while PostgreSQL was down");
            ids.Add(response.Headers.GetValues("x-spillway-request-id").Single());
        }

        // Each instance's writer tried its batch, failed, and holds it for a retry: three entries each wait in memory.
        var degraded = await UntilAsync(cluster.Instances, h => h.GetProperty("status").GetString() == "degraded" && Ledger(h) == (3, 0));
        foreach (var health in degraded)
        {
            Assert.Contains(
                health.GetProperty("problems").EnumerateArray(),
                p => p.GetString()!.StartsWith("the ledger cannot be written to PostgreSQL at", StringComparison.Ordinal));
        }

        // The admin's request list does not wait for the database either: it says why it cannot answer.
        var asked = Stopwatch.StartNew();
        using var list = await cluster.Instances[0].GetAsync("/admin/requests?limit=50");
        Assert.True(asked.Elapsed < Prompt, $"/admin/requests took {asked.Elapsed} while PostgreSQL was down");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, list.StatusCode);
        var error = JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("ledger_unavailable", error.GetProperty("code").GetString());
        Assert.Contains("3 entries wait in memory", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        // PostgreSQL's own check (every 5 s) finds it unreachable too.
        cluster.Time.Advance(TimeSpan.FromSeconds(5));
        await UntilAsync(cluster.Instances, h => !h.GetProperty("stores").GetProperty("postgres_reachable").GetBoolean());

        await postgres.StartAsync();
        await UntilAsync(cluster.Instances, h => h.GetProperty("status").GetString() == "ok" && Ledger(h) == (0, 0), advance: cluster.Time);

        using var listed = JsonDocument.Parse(await cluster.Instances[1].GetStringAsync("/admin/requests?limit=50"));
        Assert.Equal(ids.Order(), listed.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).Order());
    }

    [Fact]
    public async Task PostgresStopped_MoreEntriesThanTheQueueHolds_RestDroppedAndCountedInHealth()
    {
        await using var cluster = await GatewayCluster.StartAsync(
            1,
            [new SimulatedProvider("groq", SimulatorStyle.Groq)],
            postgres: true,
            host: options => options with { Ledger = new LedgerWriterOptions { Capacity = 2 } });
        var instance = cluster.Instances[0];
        await cluster.Postgres!.StopAsync();

        // The first entry is taken into a batch that fails and waits for its retry; then the queue holds two more
        // and the five after them are dropped.
        Assert.Equal(HttpStatusCode.OK, await SendAsync(instance));
        await UntilAsync([instance], h => h.GetProperty("status").GetString() == "degraded" && Ledger(h) == (1, 0));
        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(instance));
        }

        var full = await Health(instance);
        Assert.Equal((3, 5), Ledger(full));
        Assert.Contains(
            full.GetProperty("problems").EnumerateArray(),
            p => p.GetString()!.EndsWith("beyond 2 waiting, new entries are dropped (5 so far)", StringComparison.Ordinal));

        // Back: what waited is written, what was dropped stays counted, and the instance is healthy again.
        await cluster.Postgres.StartAsync();
        await UntilAsync([instance], h => h.GetProperty("status").GetString() == "ok" && Ledger(h) == (0, 5), advance: cluster.Time);
        using var listed = JsonDocument.Parse(await instance.GetStringAsync("/admin/requests?limit=50"));
        Assert.Equal(3, listed.RootElement.GetArrayLength());
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient instance)
    {
        var watch = Stopwatch.StartNew();
        using var response = await instance.PostAsync("/v1/chat/completions", TestGateway.ChatBody("chain"));
        Assert.True(watch.Elapsed < Prompt, $"a request took {watch.Elapsed} while PostgreSQL was down");
        return response.StatusCode;
    }

    private static (long Queued, long Dropped) Ledger(JsonElement health)
    {
        var ledger = health.GetProperty("ledger");
        return (ledger.GetProperty("queued").GetInt64(), ledger.GetProperty("dropped").GetInt64());
    }

    private static async Task<JsonElement> Health(HttpClient instance)
    {
        using var document = JsonDocument.Parse(await instance.GetStringAsync("/healthz"));
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Polls every instance's <c>/healthz</c> (bounded) until each satisfies <paramref name="condition"/>, and returns
    /// what they said. With <paramref name="advance"/>, each round first moves the clock 30 s: the longest retry
    /// backoff of the ledger writer, and more than the 5 s between PostgreSQL checks, so each round both retry.
    /// </summary>
    private static async Task<IReadOnlyList<JsonElement>> UntilAsync(
        IReadOnlyList<HttpClient> instances, Func<JsonElement, bool> condition, Microsoft.Extensions.Time.Testing.FakeTimeProvider? advance = null)
    {
        var last = Array.Empty<JsonElement>();
        for (var attempt = 0; attempt < 600; attempt++)
        {
            advance?.Advance(TimeSpan.FromSeconds(30));
            last = await Task.WhenAll(instances.Select(Health));
            if (last.All(condition))
            {
                return last;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"the instances did not reach the expected health within 30 s; last: {string.Join(" | ", last.Select(h => h.GetRawText()))}");
        return last;
    }
}
