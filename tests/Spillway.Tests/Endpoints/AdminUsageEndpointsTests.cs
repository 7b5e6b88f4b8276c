using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Configuration;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary><c>GET /admin/usage</c>: spend and savings per day and route, from the ledger.</summary>
public sealed class AdminUsageEndpointsTests
{
    [Fact]
    public async Task Usage_PaidAndFreeCallsOverTwoDays_TotalsPerDayAndRoute()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 23, 0, 0, TimeSpan.Zero));
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("openai"), new SimulatedProvider("groq", SimulatorStyle.Groq)],
            (_, config) => config with { Pricing = [new PriceOverride("openai/gpt-4o-mini", 0.15m, 0.60m)] },
            time);
        var paid1 = await CostOfAsync(gateway, "openai/gpt-4o-mini");
        time.Advance(TimeSpan.FromHours(2));
        var paid2 = await CostOfAsync(gateway, "openai/gpt-4o-mini");
        await CostOfAsync(gateway, "groq/llama-3.3-70b-versatile");
        var ledger = await gateway.LedgerAsync(5);

        using var json = JsonDocument.Parse(await gateway.Http.GetStringAsync("/admin/usage?days=7"));

        var root = json.RootElement;
        Assert.Equal("2026-06-26", root.GetProperty("since").GetString());
        var days = root.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(["2026-07-01", "2026-07-02"], days.Select(d => d.GetProperty("day").GetString()));
        Assert.Equal(paid1, days[0].GetProperty("cost_usd").GetDecimal());
        Assert.Equal(["groq/llama-3.3-70b-versatile", "openai/gpt-4o-mini"], days[1].GetProperty("routes").EnumerateArray().Select(r => r.GetProperty("route").GetString()));
        var groq = days[1].GetProperty("routes")[0];
        Assert.Equal(0m, groq.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(1, groq.GetProperty("requests").GetInt64());
        Assert.Equal(paid2, days[1].GetProperty("routes")[1].GetProperty("cost_usd").GetDecimal());

        // The direct groq route has no paid step and no reference: nothing to compare with, so no saving.
        Assert.Equal(JsonValueKind.Null, ledger[0].GetProperty("saved_usd").ValueKind);
        var total = root.GetProperty("total");
        Assert.Equal(3, total.GetProperty("requests").GetInt64());
        Assert.Equal(paid1 + paid2, total.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(0, total.GetProperty("unpriced_requests").GetInt64());

        // Every request came from this machine without a client key: one anonymous client with the same totals.
        var client = Assert.Single(root.GetProperty("clients").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, client.GetProperty("client_id").ValueKind);
        Assert.Equal(3, client.GetProperty("requests").GetInt64());
        Assert.Equal(paid1 + paid2, client.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task Usage_DaysWindow_LeavesOlderDaysOut()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero));
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("groq", SimulatorStyle.Groq)], time: time);
        await CostOfAsync(gateway, "groq/llama-3.3-70b-versatile");
        time.Advance(TimeSpan.FromDays(1));

        using var json = JsonDocument.Parse(await gateway.Http.GetStringAsync("/admin/usage?days=1"));

        Assert.Equal("2026-07-02", json.RootElement.GetProperty("since").GetString());
        Assert.Empty(json.RootElement.GetProperty("days").EnumerateArray());
        Assert.Equal(0, json.RootElement.GetProperty("total").GetProperty("requests").GetInt64());
    }

    private static async Task<decimal> CostOfAsync(TestGateway gateway, string model)
    {
        using var response = await gateway.ChatAsync(model);
        response.EnsureSuccessStatusCode();
        return decimal.Parse(response.Headers.GetValues("x-spillway-cost-usd").Single(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
