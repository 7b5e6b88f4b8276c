using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Spillway.Simulator;
using Spillway.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Spillway.Tests.Dashboard;

/// <summary>The Keys page: a cooled key with a live countdown, when it comes back and why; never a secret.</summary>
[Collection(DashboardCollection.Name)]
public sealed partial class KeysPageTests
{
    [Fact]
    public async Task ACooledKey_ShowsItsCountdown_TheTimeItComesBack_AndTheReason()
    {
        await using var gateway = await DashboardGateway.StartAsync();
        gateway.Gateway[DashboardGateway.Free].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromMinutes(10)));
        await gateway.ChatAsync();
        var keys = await gateway.GetJsonAsync("/admin/keys");
        var until = keys.EnumerateArray().Single(k => k.GetProperty("id").GetString() == DashboardGateway.Free + "-key").GetProperty("cooldowns")[0].GetProperty("until").GetString();

        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = browser.Page;
        await browser.LogInAsync(gateway.Address, DashboardGateway.Token);
        await browser.OpenAsync("keys");

        var row = page.Locator($"tr[data-key-id='{DashboardGateway.Free}-key']");
        var countdown = row.Locator("span.countdown");
        await Expect(countdown).ToHaveAttributeAsync("data-until", until!);
        await Expect(countdown).ToHaveTextAsync(Countdown());
        var first = await countdown.TextContentAsync();
        await Expect(countdown).Not.ToHaveTextAsync(first!);      // it ticks, without a reload
        await Expect(row.Locator("time")).ToHaveAttributeAsync("datetime", until!);
        await Expect(row).ToContainTextAsync("rate_limited");
        await Expect(page.Locator($"tr[data-key-id='{DashboardGateway.Paid}-key']")).ToBeVisibleAsync();
        await Expect(page.Locator($"#routes tr[data-route='{DashboardGateway.Paid}/gpt-4o-mini']")).ToContainTextAsync("closed");

        var text = await page.Locator("body").InnerTextAsync();
        Assert.DoesNotContain(TestGateway.SecretOf(DashboardGateway.Free), text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestGateway.SecretOf(DashboardGateway.Paid), text, StringComparison.Ordinal);
        Assert.Contains("…" + TestGateway.SecretOf(DashboardGateway.Free)[^4..], text, StringComparison.Ordinal);
        browser.AssertCleanRun(gateway.Address);
    }

    [GeneratedRegex(@"^\d+m \d\ds$")]
    private static partial Regex Countdown();
}
