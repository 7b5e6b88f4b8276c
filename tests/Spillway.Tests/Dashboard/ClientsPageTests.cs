using Microsoft.Playwright;
using Spillway.Core.Configuration;
using Spillway.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Spillway.Tests.Dashboard;

/// <summary>
/// A client that has spent most of its daily budget: the Clients page shows its spend against the budget and what
/// is left, and the Requests page shows the paid step it could no longer afford as <c>skipped_budget</c>.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ClientsPageTests
{
    private const string ClientKey = "team-b-client-key-0123456789";

    /// <summary>Caps the answer at 20 tokens, so a call's estimate (and its cost) is about $0.0000135.</summary>
    private const string Short = ",\"max_tokens\":20";

    [Fact]
    public async Task AClientNearItsBudget_ShowsItsSpend_WhatIsLeft_AndTheRefusedPaidStep()
    {
        // Two paid calls ($0.0000135 each) fit in $0.00003; a third would overshoot, so it is refused.
        await using var gateway = await DashboardGateway.StartAsync(
            [new ClientKeyConfig("team-b", ClientKeyHash.Of(ClientKey)) { BudgetUsdPerDay = 0.00003m }]);
        gateway.Gateway[DashboardGateway.Free].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromMinutes(10)));
        for (var call = 1; call <= 3; call++)
        {
            using var response = await gateway.ChatAsClientAsync(ClientKey, Short);
            Assert.True(response.IsSuccessStatusCode == call < 3, $"Call {call} answered {(int)response.StatusCode}.");
        }

        var budget = (await gateway.GetJsonAsync("/admin/clients"))[0].GetProperty("budget");
        Assert.Equal(0.000027m, budget.GetProperty("spent_today_usd").GetDecimal());

        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = browser.Page;
        await browser.LogInAsync(gateway.Address, DashboardGateway.Token);
        var refused = page.Locator("#requests tbody tr[data-request-id]").First;
        await Expect(refused.Locator(".chip")).ToHaveTextAsync(["skipped_cooldown", "skipped_budget"]);
        await Expect(refused).ToContainTextAsync("team-b");

        await browser.OpenAsync("clients");
        var today = page.Locator("tr[data-client-id='team-b'] td").Nth(2);
        await Expect(today).ToContainTextAsync("$0.000027 of $0.00003");
        await Expect(today).ToContainTextAsync("$0.000003 left");
        await Expect(today.Locator("meter")).ToHaveAttributeAsync("value", "0.000027");
        await Expect(page.Locator("tr[data-client-id='team-b'] td").Nth(3)).ToContainTextAsync("(no budget)");
        await browser.ScreenshotIfAskedAsync("clients-budget");
        browser.AssertCleanRun(gateway.Address);
    }
}
