using Microsoft.Playwright;
using Spillway.Simulator;
using Spillway.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Spillway.Tests.Dashboard;

/// <summary>The dashboard at <c>/ui</c> asks for the admin token and lets in only the right one.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardLoginTests
{
    [Fact]
    public async Task Login_WithTheAdminToken_OpensTheRequestsPage()
    {
        await using var gateway = await DashboardGateway.StartAsync();
        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = browser.Page;

        await page.GotoAsync(new Uri(gateway.Address, "/ui/").AbsoluteUri);
        await Expect(page.Locator("form#login")).ToBeVisibleAsync();
        await Expect(page.Locator("#login input[type=password][name=token]")).ToHaveAttributeAsync("autocomplete", "current-password");
        await Expect(page.Locator("table#requests")).ToHaveCountAsync(0);

        await browser.LogInAsync(gateway.Address, DashboardGateway.Token);

        await Expect(page.Locator("table#requests")).ToBeVisibleAsync();
        await Expect(page.Locator("nav a")).ToHaveTextAsync(["Requests", "Keys", "Spend", "Models", "Clients"]);
        await Expect(page.Locator("nav a[href='#/requests']")).ToHaveAttributeAsync("aria-current", "page");
        Assert.StartsWith(new Uri(gateway.Address, "/ui/").AbsoluteUri, page.Url, StringComparison.Ordinal);

        await page.Locator("#logout button").ClickAsync();
        await Expect(page.Locator("form#login")).ToBeVisibleAsync();
        await page.GotoAsync(new Uri(gateway.Address, "/ui/#/keys").AbsoluteUri);
        await Expect(page.Locator("form#login")).ToBeVisibleAsync();
        browser.AssertCleanRun(gateway.Address);
    }

    [Fact]
    public async Task WithoutAnAdminToken_TheLoopbackDashboardOpens_WithNoLogOutButton()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("ui-open")]);
        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = browser.Page;

        // The button is hidden until the page has asked /ui/session, so wait for that answer before looking.
        var session = page.WaitForResponseAsync(response => response.Url.EndsWith("/ui/session", StringComparison.Ordinal));
        await page.GotoAsync(new Uri(gateway.Address, "/ui/").AbsoluteUri);
        Assert.Equal("""{"token_required":false}""", await (await session).TextAsync());

        await Expect(page.Locator("table#requests")).ToBeVisibleAsync();
        await Expect(page.Locator("form#login")).ToHaveCountAsync(0);
        await Expect(page.Locator("#logout")).ToBeHiddenAsync();
        browser.AssertCleanRun(gateway.Address);
    }

    [Fact]
    public async Task Login_WithAWrongToken_IsRefusedWithAMessage()
    {
        await using var gateway = await DashboardGateway.StartAsync();
        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = browser.Page;

        await browser.SubmitLoginAsync(gateway.Address, "not-the-admin-token");

        await Expect(page.Locator("#login-error")).ToBeVisibleAsync();
        await Expect(page.Locator("#login-error")).ToContainTextAsync("Wrong token");
        await Expect(page.Locator("form#login")).ToBeVisibleAsync();
        await Expect(page.Locator("table#requests")).ToHaveCountAsync(0);

        // The admin API stays closed to this browser: no session was given.
        var status = await page.EvaluateAsync<int>("async () => (await fetch('/admin/requests')).status");
        Assert.Equal(401, status);
    }

    [Fact]
    public async Task Login_AfterFiveWrongTokens_SaysToWait()
    {
        await using var gateway = await DashboardGateway.StartAsync();
        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = browser.Page;

        for (var i = 0; i < Spillway.Security.LoginThrottle.MaxFailures; i++)
        {
            await browser.SubmitLoginAsync(gateway.Address, "not-the-admin-token-" + i);
        }

        await Expect(page.Locator("#login-error")).ToContainTextAsync("Too many wrong tries");
        var status = await page.EvaluateAsync<int>("async () => (await fetch('/admin/requests')).status");
        Assert.Equal(401, status);
    }
}
