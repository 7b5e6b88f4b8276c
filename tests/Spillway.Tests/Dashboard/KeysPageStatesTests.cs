using Microsoft.Playwright;
using Spillway.Core.Configuration;
using Spillway.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Spillway.Tests.Dashboard;

/// <summary>
/// The Keys page in the states a user opens it for: a key out of its daily quota until the Pacific midnight, a key
/// the provider rejected, and a route whose breaker is open, each with its reason.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class KeysPageStatesTests
{
    private const string Gemini = "dgem";

    [Fact]
    public async Task ADailyQuota_ARejectedKey_AndAnOpenBreaker_AreShownWithTheirReasons()
    {
        await using var gateway = await DashboardGateway.StartAsync(
            config => config with { Breaker = new BreakerConfig(1, TimeSpan.FromMinutes(5)) },
            [],
            new SimulatedProvider(Gemini, SimulatorStyle.GeminiNative));
        gateway.Gateway[Gemini].Enqueue(SimulatedFault.QuotaExhausted());
        gateway.Gateway[DashboardGateway.Free].Enqueue(SimulatedFault.Unauthorized());
        gateway.Gateway[DashboardGateway.Paid].Enqueue(SimulatedFault.Overloaded());
        using (var failed = await gateway.Gateway.ChatAsync(DashboardGateway.Alias))
        {
            Assert.False(failed.IsSuccessStatusCode, "Every step of the chain was scripted to fail.");
        }

        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = browser.Page;
        await browser.LogInAsync(gateway.Address, DashboardGateway.Token);
        await browser.OpenAsync("keys");

        var daily = page.Locator($"tr[data-key-id='{Gemini}-key']");
        await Expect(daily.Locator(".badge")).ToHaveTextAsync("cooling");
        await Expect(daily.Locator(".cooldown .chip")).ToHaveTextAsync("quota_exhausted");
        await Expect(daily.Locator(".cooldown .reason")).ToContainTextAsync("daily quota exhausted");
        await Expect(daily.Locator(".cooldown .reason")).ToContainTextAsync("resets 00:00 PT");

        var rejected = page.Locator($"tr[data-key-id='{DashboardGateway.Free}-key']");
        await Expect(rejected.Locator(".badge")).ToHaveTextAsync("key_rejected");
        await Expect(rejected.Locator(".cooldown .chip")).ToHaveTextAsync("key_rejected");

        var route = page.Locator($"#routes tr[data-route='{DashboardGateway.Paid}/gpt-4o-mini']");
        await Expect(route.Locator(".badge")).ToHaveTextAsync("open");
        await Expect(route.Locator(".reason .chip")).ToHaveTextAsync("overloaded");
        await Expect(route.Locator("td").Nth(3)).Not.ToHaveTextAsync("—");
        await browser.ScreenshotIfAskedAsync("keys-failing");
        browser.AssertCleanRun(gateway.Address);
    }
}
