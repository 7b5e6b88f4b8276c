using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text;
using Spillway.Core.Ledger;
using Spillway.Simulator;
using Spillway.Tests.Support;
using Spillway.TestSupport;

namespace Spillway.Tests.Hosting;

/// <summary>
/// A real <c>spillway serve</c> process killed with SIGKILL (what an OOM kill does) right after answering, then started
/// again on the same data folder: a budgeted client's paid spend must have survived, so the restart hands out nothing
/// more than the budget; and stopped with SIGTERM while a stream runs, which must end that stream in band.
/// </summary>
public sealed class CrashSafetyTests : IAsyncLifetime
{
    private const string ClientKey = "sk-spill-crash-test-0123456789abcdef";

    private readonly TempDirectory _folder = new();
    private ProviderSimulator? _simulator;

    public async Task InitializeAsync() =>
        _simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("paid") { ReplyText = "A paid answer, billed per token." }]);

    public async Task DisposeAsync()
    {
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        _folder.Dispose();
    }

    [Fact]
    public async Task KillNine_RightAfterPaidCalls_TheRestartDoesNotRefillTheClientsBudget()
    {
        var (child, config) = await ServeSetupAsync("paid", $$"""
            pricing:
              - { route: paid/gpt-4o-mini, input: 100, output: 100 }
            auth:
              clients:
                - { id: team, value: "{{ClientKey}}", budget_usd_per_day: 0.01 }
            """);

        int served;
        await using (var first = await child.ServeAsync("--config", config))
        {
            served = await SpendAsync(first.Http);

            // SIGKILL at once: the ledger's background batch may not have been written.
            await first.StopAsync();
        }

        await using var second = await child.ServeAsync("--config", config);
        var servedAfter = await SpendAsync(second.Http);

        Assert.True(served > 0, "the budget should have taken some calls");
        Assert.Equal(0, servedAfter);
        Assert.Equal(served, _simulator!["paid"].CallCount);
        // Every paid call is in the ledger again, exactly once, with its cost: those the killed process never wrote
        // were put back from the spend journal at start.
        using var ledger = await second.Http.GetFromJsonAsync<JsonDocument>("/admin/requests?limit=1000");
        var paid = ledger!.RootElement.EnumerateArray().Where(e => e.GetProperty("status").GetInt32() == 200).ToList();
        Assert.Equal(served, paid.Count);
        Assert.Equal(served, paid.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        Assert.All(paid, e => Assert.True(e.GetProperty("cost_usd").GetDecimal() > 0m));
    }

    [Fact]
    public async Task KillNine_UnderLoad_FreeCallsLostAreBoundedByTheLedgersLastBatch()
    {
        var (child, config) = await ServeSetupAsync("free", "");

        const int Requests = 400;
        await using (var serve = await child.ServeAsync("--config", config))
        {
            // Eight clients at once, then SIGKILL the moment the last answer is in.
            var next = 0;
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                while (Interlocked.Increment(ref next) <= Requests)
                {
                    using var response = await serve.Http.PostAsync("/v1/chat/completions", new StringContent(
                        """{"model":"chain","messages":[{"role":"user","content":"Hello"}]}""", Encoding.UTF8, "application/json"));
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
            }));
            await serve.StopAsync();
        }

        using var ledger = new Storage.Sqlite.SqliteLedgerStore(child.DataFolder);
        await ledger.InitializeAsync(CancellationToken.None);
        var kept = (await ledger.ListRecentAsync(1000, CancellationToken.None)).Count;

        // The bound README states: what finished within the last batch window, at most one batch (256 entries).
        Assert.Equal(Requests, _simulator!["paid"].CallCount);
        Assert.InRange(Requests - kept, 0, new Core.Ledger.LedgerWriterOptions().MaxBatchSize);
    }

    [Fact]
    public async Task SigTerm_DuringAStalledStream_EndsItWithTheInBandShutdownErrorAndAShutdownRow()
    {
        var (child, config) = await ServeSetupAsync("free", """
            timeouts: { shutdown_grace_seconds: 1 }
            """);
        _simulator!["paid"].Enqueue(SimulatedFault.FailMidStream(2, MidStreamFailure.Stall));

        await using var serve = await child.ServeAsync("--config", config);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"chain","stream":true,"messages":[{"role":"user","content":"Hello"}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await serve.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var pieces = 0;
        while (pieces < 2 && await reader.ReadLineAsync() is { } line)
        {
            pieces += line.Contains("\"content\":\"", StringComparison.Ordinal) ? 1 : 0;
        }

        // The upstream has gone silent mid-answer (it never goes on by itself): the service manager stops the gateway.
        var stopping = serve.TerminateAsync();
        var rest = await reader.ReadToEndAsync();
        var (exitCode, output) = await stopping;

        Assert.True(exitCode == 0, $"spillway serve exited with {exitCode} after SIGTERM.{output}");
        Assert.Contains("The gateway is shutting down; the answer above is incomplete.", rest, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"shutdown\"", rest, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", rest, StringComparison.Ordinal);
        using var ledger = new Storage.Sqlite.SqliteLedgerStore(child.DataFolder);
        await ledger.InitializeAsync(CancellationToken.None);
        var entry = Assert.Single(await ledger.ListRecentAsync(10, CancellationToken.None));
        Assert.Equal("shutdown", Assert.Single(entry.Attempts).Outcome);
    }

    /// <summary>The JIT build's <c>spillway</c> in the test's folder, and a config with one key of
    /// <paramref name="tier"/> on the simulator behind the alias <c>chain</c>, plus <paramref name="more"/>.</summary>
    private async Task<(SpillwayChild Child, string Config)> ServeSetupAsync(string tier, string more)
    {
        var config = Path.Combine(_folder.Path, tier + ".yaml");
        await File.WriteAllTextAsync(config, $$"""
            providers:
              - id: paid
                format: openai
                base_url: "{{_simulator!.BaseUrlOf("paid")}}"
                keys: [{ id: {{tier}}-1, value: "sk-{{tier}}-simulated-0123456789", tier: {{tier}} }]
            models:
              - { id: chain, route: [paid/gpt-4o-mini] }

            """ + more);
        return (new SpillwayChild(Path.Combine(AppContext.BaseDirectory, "spillway"), _folder.Path), config);
    }

    /// <summary>Calls until the budget refuses (402); returns how many were served.</summary>
    private static async Task<int> SpendAsync(HttpClient http)
    {
        for (var served = 0; served < 100; served++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = new StringContent("""{"model":"chain","max_tokens":50,"messages":[{"role":"user","content":"Hello"}]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ClientKey);
            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
                return served;
            }
        }

        throw new InvalidOperationException("The budget never refused a call.");
    }
}
