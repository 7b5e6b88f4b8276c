using Microsoft.Playwright;
using Spillway.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Spillway.Tests.Dashboard;

/// <summary>The Requests page: live rows with their fallback trail, and a request's detail.</summary>
[Collection(DashboardCollection.Name)]
public sealed class RequestsPageTests
{
    [Fact]
    public async Task ARequestMadeThroughTheApi_AppearsWithoutReload_WithItsFallbackTrail()
    {
        await using var gateway = await DashboardGateway.StartAsync();
        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = browser.Page;
        await browser.LogInAsync(gateway.Address, DashboardGateway.Token);
        await Expect(page.Locator("table#requests[data-live=open]")).ToBeVisibleAsync();
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        gateway.Gateway[DashboardGateway.Free].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromMinutes(10)));
        var id = await gateway.ChatAsync();

        var row = page.Locator($"#requests tbody tr[data-request-id='{id}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.Locator(".chip")).ToHaveTextAsync(["rate_limited", "ok"]);
        await Expect(row.Locator(".chip").First).ToHaveAttributeAsync("data-outcome", "rate_limited");
        await Expect(row.Locator(".chip").First).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\boutcome-rate_limited\b"));
        await Expect(row).ToContainTextAsync(DashboardGateway.Paid + "/gpt-4o-mini");
        await Expect(row).ToContainTextAsync(DashboardGateway.Alias);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The page was reloaded.");

        // The next one served by the free key is skipped past it while it cools: a longer trail, newest first.
        var second = await gateway.ChatAsync();
        await Expect(page.Locator("#requests tbody tr").First).ToHaveAttributeAsync("data-request-id", second);
        await Expect(page.Locator($"#requests tbody tr[data-request-id='{second}'] .chip")).ToHaveTextAsync(["skipped_cooldown", "ok"]);

        await row.ClickAsync();
        var detail = page.Locator("section#request-detail");
        await Expect(detail).ToBeVisibleAsync();
        await Expect(detail).ToContainTextAsync(id);
        await Expect(detail.Locator(".attempt")).ToHaveCountAsync(2);
        await Expect(detail.Locator(".attempt").Nth(0)).ToContainTextAsync(DashboardGateway.Free + "-key");
        await Expect(detail.Locator(".attempt").Nth(0).Locator(".reason")).Not.ToBeEmptyAsync();
        await Expect(detail.Locator(".attempt").Nth(1)).ToContainTextAsync(DashboardGateway.Paid + "-key");
        await Expect(detail.Locator(".attempt").Nth(1)).ToContainTextAsync("200");
        browser.AssertCleanRun(gateway.Address);
    }

    [Fact]
    public async Task AnUpstreamErrorReason_IsShownAsText_AndNeverRuns()
    {
        const string Hostile = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">";
        await using var gateway = await DashboardGateway.StartAsync(new SimulatedProvider("dhostile"));
        gateway.Gateway["dhostile"].Enqueue(SimulatedFault.ServerError(Hostile));
        gateway.Gateway["dhostile"].Enqueue(SimulatedFault.ServerError(Hostile));
        var id = await gateway.ChatAsync();

        // The reason really carries the markup (else this test would prove nothing).
        var ledger = await gateway.GetJsonAsync("/admin/requests?limit=1");
        Assert.Contains(
            ledger[0].GetProperty("attempts").EnumerateArray(),
            a => a.GetProperty("detail").GetString()?.Contains("<script>window.__xss=1</script>", StringComparison.Ordinal) == true);

        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = browser.Page;
        await browser.LogInAsync(gateway.Address, DashboardGateway.Token);
        var row = page.Locator($"#requests tbody tr[data-request-id='{id}']");
        await row.ClickAsync();

        var reason = page.Locator("section#request-detail .attempt .reason").First;
        await Expect(reason).ToContainTextAsync("<script>window.__xss=1</script>");
        await Expect(reason).ToContainTextAsync("onerror=\"window.__xss=2\"");
        await Expect(page.Locator("section#request-detail script, section#request-detail img")).ToHaveCountAsync(0);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__xss"));
        browser.AssertCleanRun(gateway.Address);
    }
}
