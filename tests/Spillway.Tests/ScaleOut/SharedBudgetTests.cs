using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.ScaleOut;

/// <summary>One client's budget held in Redis for every instance: together they spend no more than one budget.</summary>
public sealed partial class SharedBudgetTests
{
    private const string TeamKey = "sk-spillway-team-key-0123456789";

    // At this price each call costs $0.005 (the simulator's usage) and is held at about $0.009 (its estimate), so the
    // budget holds about ten calls at once. Three instances each with a budget of their own would admit ten each and
    // spend three times as much (at least $0.15), far beyond the budget and one estimate.
    private const decimal Budget = 0.09m;

    [GeneratedRegex(@"may cost up to \$(?<usd>[0-9.]+)")]
    private static partial Regex EstimateInMessage();

    [Fact]
    public async Task Budget_SixtyConcurrentPaidRequestsOverThreeInstances_SpendStaysWithinOneBudgetAndOneEstimate()
    {
        await using var cluster = await GatewayCluster.StartAsync(
            3,
            [new SimulatedProvider("openai")],
            config => config with
            {
                Pricing = [new PriceOverride("openai/gpt-4o-mini", Input: 100m, Output: 200m)],
                Auth = config.Auth with { Clients = [new ClientKeyConfig("team", ClientKeyHash.Of(TeamKey)) { BudgetUsdPerDay = Budget }] },
            });

        var answers = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Send(cluster.Instances[i % 3])));

        var served = answers.Where(a => a.Status == HttpStatusCode.OK).ToList();
        var refused = answers.Where(a => a.Status == HttpStatusCode.PaymentRequired).ToList();
        Assert.Equal(60, served.Count + refused.Count);
        Assert.NotEmpty(served);
        Assert.NotEmpty(refused);

        // The ones admitted are served: one upstream call each, a reply, a cost.
        Assert.Equal(served.Count, cluster["openai"].CallCount);
        Assert.All(served, a => Assert.Equal("openai/gpt-4o-mini", a.Route));
        Assert.All(served, a => Assert.NotEmpty(a.Body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!));

        // The refused ones get the budget error in OpenAI's shape, naming what the call would have cost.
        foreach (var answer in refused)
        {
            var error = answer.Body.GetProperty("error");
            Assert.Equal(("insufficient_quota", "budget_exceeded"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
            Assert.Contains("daily budget $0.09", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var estimate = refused.Max(a => decimal.Parse(
            EstimateInMessage().Match(a.Body.GetProperty("error").GetProperty("message").GetString()!).Groups["usd"].Value,
            CultureInfo.InvariantCulture));

        // What the three ledgers recorded is what the clients were told each call cost, and all of it together stays
        // within the one budget plus one call's estimate.
        var charged = served.Sum(a => a.Cost);
        var recorded = await RecordedSpendAsync(cluster, served.Count);
        Assert.Equal(charged, recorded);
        Assert.True(recorded <= Budget + estimate, $"spent {recorded} against a budget of {Budget} (one estimate: {estimate}) over {served.Count} calls");
    }

    private static async Task<Answer> Send(HttpClient instance)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = TestGateway.ChatBody("chain", extra: ",\"max_tokens\":40"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TeamKey);
        using var response = await instance.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var cost = response.Headers.TryGetValues(SpillwayHeaders.CostUsd, out var costs)
            ? decimal.Parse(costs.Single(), CultureInfo.InvariantCulture)
            : 0m;
        var route = response.Headers.TryGetValues(SpillwayHeaders.Route, out var routes) ? routes.Single() : null;
        return new Answer(response.StatusCode, body.RootElement.Clone(), cost, route);
    }

    /// <summary>
    /// The spend the three instances' ledgers (each its own data folder) recorded, once every served call is in one:
    /// the ledger writes in the background, so this polls (bounded) until they hold <paramref name="served"/> paid entries.
    /// </summary>
    private static async Task<decimal> RecordedSpendAsync(GatewayCluster cluster, int served)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            var costs = new List<decimal>();
            foreach (var instance in cluster.Instances)
            {
                using var listed = JsonDocument.Parse(await instance.GetStringAsync("/admin/requests?limit=100"));
                costs.AddRange(listed.RootElement.EnumerateArray()
                    .Where(e => e.TryGetProperty("cost_usd", out var cost) && cost.ValueKind == JsonValueKind.Number && cost.GetDecimal() > 0m)
                    .Select(e => e.GetProperty("cost_usd").GetDecimal()));
            }

            if (costs.Count >= served)
            {
                Assert.Equal(served, costs.Count);
                return costs.Sum();
            }

            await Task.Delay(50);
        }

        Assert.Fail($"the ledgers did not record the {served} served calls within 20 s");
        return 0m;
    }

    private sealed record Answer(HttpStatusCode Status, JsonElement Body, decimal Cost, string? Route);
}
