using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Core.Ledger;
using Spillway.Simulator;
using Spillway.TestSupport;
using Spillway.Tests.Support;

namespace Spillway.Tests.Routing;

/// <summary>Client budgets on a live gateway: held before each paid call, settled with the real cost, kept across a restart.</summary>
public sealed partial class ClientBudgetTests
{
    private const string Key = "sk-spill-budget-client-0123456789";

    private static ClientKeyConfig Client(decimal? day = null, decimal? month = null) =>
        new("team", ClientKeyHash.Of(Key)) { BudgetUsdPerDay = day, BudgetUsdPerMonth = month };

    /// <summary>groq (free) and openai (paid, at a price that makes every call cost a few tenths of a cent).</summary>
    private static Task<TestGateway> StartAsync(ClientKeyConfig client, string? dataDirectory = null, TimeSpan? streamDelay = null)
    {
        var openai = new SimulatedProvider("openai") { StreamEventDelay = streamDelay ?? TimeSpan.Zero };
        return TestGateway.StartAsync(
            [new SimulatedProvider("groq", SimulatorStyle.Groq), openai],
            (_, config) => config with
            {
                Models = [.. config.Models, new ModelAliasConfig("paid", RoutingStrategy.Ordered, ["openai/gpt-4o-mini"])],
                Pricing = [new PriceOverride("openai/gpt-4o-mini", Input: 100m, Output: 200m)],
                Auth = config.Auth with { Clients = [client] },
            },
            dataDirectory: dataDirectory);
    }

    private static HttpRequestMessage Chat(string model, bool stream = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = TestGateway.ChatBody(model, stream, extra: ",\"max_tokens\":40"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return request;
    }

    private static decimal SpentIn(JsonElement ledger) => ledger.EnumerateArray()
        .Where(e => e.TryGetProperty("cost_usd", out var cost) && cost.ValueKind == JsonValueKind.Number)
        .Sum(e => e.GetProperty("cost_usd").GetDecimal());

    private static IEnumerable<JsonElement> Attempts(JsonElement ledger) =>
        ledger.EnumerateArray().SelectMany(e => e.GetProperty("attempts").EnumerateArray());

    [GeneratedRegex(@"may cost up to \$(?<usd>[0-9.]+)")]
    private static partial Regex EstimateInDetail();

    [Fact]
    public async Task FiftyConcurrentRequests_SmallBudget_SpendStaysWithinOneEstimateOfIt()
    {
        const decimal budget = 0.05m;
        await using var gateway = await StartAsync(Client(day: budget), streamDelay: TimeSpan.FromMilliseconds(5));

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            using var response = await gateway.Http.SendAsync(Chat("paid", stream: i % 2 == 0));
            await response.Content.ReadAsStringAsync();
            return response.StatusCode;
        }));

        var ledger = await gateway.LedgerAsync(100);
        var served = responses.Count(s => s == HttpStatusCode.OK);
        var refused = responses.Count(s => s == HttpStatusCode.PaymentRequired);
        Assert.Equal(50, served + refused);
        Assert.InRange(served, 1, 49);
        Assert.Equal(served, gateway["openai"].CallCount);

        var skipped = Attempts(ledger).Where(a => a.GetProperty("outcome").GetString() == Outcomes.SkippedBudget).ToList();
        Assert.Equal(refused, skipped.Count);
        var estimate = skipped.Max(a => decimal.Parse(EstimateInDetail().Match(a.GetProperty("detail").GetString()!).Groups["usd"].Value, CultureInfo.InvariantCulture));
        var spent = SpentIn(ledger);
        Assert.True(spent <= budget + estimate, $"spent {spent} against a budget of {budget} (one estimate: {estimate})");

        // Nothing is left held once every call has settled, and the admin view agrees with the ledger.
        var status = JsonDocument.Parse(await gateway.Http.GetStringAsync("/admin/clients")).RootElement[0].GetProperty("budget");
        Assert.Equal(0m, status.GetProperty("held_usd").GetDecimal());
        Assert.Equal(spent, status.GetProperty("spent_today_usd").GetDecimal());
    }

    [Fact]
    public async Task BudgetSpent_OnlyPaidRoutes_402InTheCallersFormatWithRetryAfterAtTheNextDay()
    {
        await using var gateway = await StartAsync(Client(day: 0m));

        using var openai = await gateway.Http.SendAsync(Chat("paid"));
        using var anthropicRequest = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = TestGateway.MessagesBody("paid") };
        anthropicRequest.Headers.Add("x-api-key", Key);
        using var anthropic = await gateway.Http.SendAsync(anthropicRequest);

        Assert.Equal(HttpStatusCode.PaymentRequired, openai.StatusCode);
        var error = JsonDocument.Parse(await openai.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(("insufficient_quota", "budget_exceeded"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        Assert.Contains("daily budget $0.0000", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var untilMidnight = DateTimeOffset.UtcNow.UtcDateTime.Date.AddDays(1) - DateTimeOffset.UtcNow.UtcDateTime;
        Assert.InRange(openai.Headers.RetryAfter!.Delta!.Value.TotalSeconds, untilMidnight.TotalSeconds - 60, untilMidnight.TotalSeconds + 60);
        Assert.Equal(HttpStatusCode.PaymentRequired, anthropic.StatusCode);
        Assert.Equal("billing_error", JsonDocument.Parse(await anthropic.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(0, gateway["openai"].CallCount);
    }

    [Fact]
    public async Task BudgetSpent_FreeRoutesStillServe()
    {
        await using var gateway = await StartAsync(Client(day: 0m));

        using var response = await gateway.Http.SendAsync(Chat("chain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("groq/llama-3.3-70b-versatile", response.Headers.GetValues(SpillwayHeaders.Route).Single());
    }

    [Fact]
    public async Task Restart_SpendSoFarIsReadBackFromTheLedger()
    {
        using var folder = new TempDirectory(create: false);
        var data = folder.Path;
        decimal spent;
        await using (var first = await StartAsync(Client(month: 1m), data))
        {
            using var response = await first.Http.SendAsync(Chat("paid"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            spent = decimal.Parse(response.Headers.GetValues(SpillwayHeaders.CostUsd).Single(), CultureInfo.InvariantCulture);
            Assert.True(spent > 0m);
        }

        await using var second = await StartAsync(Client(month: spent), data);
        var status = JsonDocument.Parse(await second.Http.GetStringAsync("/admin/clients")).RootElement[0].GetProperty("budget");
        using var refused = await second.Http.SendAsync(Chat("paid"));

        Assert.Equal(spent, status.GetProperty("spent_this_month_usd").GetDecimal());
        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        Assert.Contains("monthly budget", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnpricedPaidRoute_BudgetedClientIsNotSentThere()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("openai")],
            (_, config) => config with { Auth = config.Auth with { Clients = [Client(day: 10m)] } });

        using var response = await gateway.Http.SendAsync(Chat("chain"));

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Contains("no known price", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, gateway["openai"].CallCount);
    }
}
