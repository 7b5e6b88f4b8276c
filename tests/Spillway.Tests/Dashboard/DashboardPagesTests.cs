using Microsoft.Playwright;
using Spillway.Core.Configuration;
using Spillway.Simulator;
using Spillway.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Spillway.Tests.Dashboard;

/// <summary>
/// Every page opens clean at 1280×800 and at a phone's width (390×844: the nav visible, nothing wider than the
/// screen). With <c>SPILLWAY_SCREENSHOTS=1</c> each page is saved to <c>docs/screenshots/&lt;page&gt;.png</c>.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardPagesTests
{
    private static readonly (string Name, string Ready)[] Pages =
    [
        ("requests", "#requests tbody tr[data-request-id]"),
        ("keys", "tr[data-key-id]"),
        ("spend", "svg#spend-chart"),
        ("models", "section#aliases .route"),
        ("clients", "h1:text('Clients')"),
    ];

    [Fact]
    public async Task EveryPage_OpensClean_OnADesktop_AndOnAPhone()
    {
        await using var gateway = await DashboardGateway.StartAsync();
        await gateway.ChatAsync();
        gateway.Gateway[DashboardGateway.Free].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromMinutes(10)));
        await gateway.ChatAsync();
        await gateway.ChatAsync();

        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = browser.Page;
        await browser.LogInAsync(gateway.Address, DashboardGateway.Token);
        await Expect(page.Locator("table#requests")).ToBeVisibleAsync();

        foreach (var (name, ready) in Pages)
        {
            await browser.OpenAsync(name);
            await Expect(page.Locator(ready).First).ToBeVisibleAsync();
            await Expect(page.Locator($"nav a[href='#/{name}']")).ToHaveAttributeAsync("aria-current", "page");
            await browser.ScreenshotIfAskedAsync(name);
        }

        await Expect(page.Locator("section#aliases")).ToHaveCountAsync(0);
        await page.SetViewportSizeAsync(390, 844);
        foreach (var (name, ready) in Pages)
        {
            await browser.OpenAsync(name);
            await Expect(page.Locator(ready).First).ToBeVisibleAsync();
            await Expect(page.Locator("nav")).ToBeInViewportAsync();
            foreach (var link in await page.Locator("nav a").AllAsync())
            {
                await Expect(link).ToBeInViewportAsync();
            }

            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"The {name} page is {overflow}px wider than a phone's screen.");
        }

        browser.AssertCleanRun(gateway.Address);
    }

    [Fact]
    public async Task Models_ListsTheAliasesWithTheirChains_AndTheCatalog()
    {
        await using var gateway = await DashboardGateway.StartAsync();
        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = browser.Page;
        await browser.LogInAsync(gateway.Address, DashboardGateway.Token);
        await browser.OpenAsync("models");

        var alias = page.Locator($"section#aliases [data-alias='{DashboardGateway.Alias}']");
        await Expect(alias.Locator(".route")).ToHaveTextAsync([
            DashboardGateway.Free + "/" + TestGateway.DefaultModel(SimulatorStyle.Groq),
            DashboardGateway.Paid + "/gpt-4o-mini",
        ]);
        await Expect(page.Locator("section#catalog")).ToBeVisibleAsync();
        browser.AssertCleanRun(gateway.Address);
    }

    [Fact]
    public async Task Clients_ShowsEachClientsAllowances_AndItsSpendAgainstItsBudget()
    {
        await using var gateway = await DashboardGateway.StartAsync(
            [new ClientKeyConfig("team-<b>a</b>", ClientKeyHash.Of("team-a-client-key-0123456789")) { BudgetUsdPerDay = 5m, AllowPaid = false }]);
        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = browser.Page;
        await browser.LogInAsync(gateway.Address, DashboardGateway.Token);
        await browser.OpenAsync("clients");

        var row = page.Locator("tr[data-client-id='team-<b>a</b>']");
        await Expect(row).ToContainTextAsync("team-<b>a</b>");
        await Expect(row).ToContainTextAsync("free only");
        await Expect(row).ToContainTextAsync("$0.00 of $5.00");
        await Expect(row.Locator("meter")).ToHaveCountAsync(1);
        await Expect(row.Locator("b")).ToHaveCountAsync(0);
        browser.AssertCleanRun(gateway.Address);
    }
}
