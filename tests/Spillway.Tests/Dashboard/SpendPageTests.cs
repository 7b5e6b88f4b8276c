using Microsoft.Playwright;
using Spillway.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Spillway.Tests.Dashboard;

/// <summary>The Spend page shows the same cost and saving as <c>/admin/usage</c>, with its chart.</summary>
[Collection(DashboardCollection.Name)]
public sealed class SpendPageTests
{
    [Fact]
    public async Task Spend_ShowsTheDaysCostAndSaving_AsTheUsageApiCountsThem()
    {
        await using var gateway = await DashboardGateway.StartAsync();
        await gateway.ChatAsync();                                                        // free: a saving
        gateway.Gateway[DashboardGateway.Free].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromMinutes(10)));
        await gateway.ChatAsync();                                                        // paid: a cost
        var usage = await gateway.GetJsonAsync("/admin/usage?days=30");
        decimal cost = 0, saved = 0;
        foreach (var day in usage.GetProperty("days").EnumerateArray())
        {
            cost += day.GetProperty("cost_usd").GetDecimal();
            saved += day.GetProperty("saved_usd").GetDecimal();
        }

        Assert.True(cost > 0 && saved > 0, $"Expected a cost and a saving, got {cost} and {saved}.");

        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = browser.Page;
        await browser.LogInAsync(gateway.Address, DashboardGateway.Token);
        await browser.OpenAsync("spend");

        await Expect(page.Locator("output#spend-cost-total")).ToHaveTextAsync(DashboardGateway.Usd(cost));
        await Expect(page.Locator("output#spend-saved-total")).ToHaveTextAsync(DashboardGateway.Usd(saved));
        await Expect(page.Locator("svg#spend-chart")).ToBeVisibleAsync();
        await Expect(page.Locator("svg#spend-chart rect.bar.cost")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("svg#spend-chart rect.bar.saved")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("#spend-routes")).ToContainTextAsync(DashboardGateway.Paid + "/gpt-4o-mini");

        // Both requests came from this machine without a client key: one "local" row, the same totals.
        var local = Assert.Single(usage.GetProperty("clients").EnumerateArray());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, local.GetProperty("client_id").ValueKind);
        Assert.Equal(2, local.GetProperty("requests").GetInt64());
        Assert.Equal(cost, local.GetProperty("cost_usd").GetDecimal());
        await Expect(page.Locator("#spend-clients tr[data-client-id='local']")).ToContainTextAsync(DashboardGateway.Usd(cost));
        browser.AssertCleanRun(gateway.Address);
    }
}
