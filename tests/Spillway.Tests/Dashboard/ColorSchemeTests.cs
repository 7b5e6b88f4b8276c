using Microsoft.Playwright;
using Spillway.Core.Configuration;
using Spillway.Simulator;
using static Microsoft.Playwright.Assertions;

namespace Spillway.Tests.Dashboard;

/// <summary>
/// Every page, and the login form, is readable in light and in dark mode: the page follows the system's colour
/// scheme, and every piece of visible text has a WCAG AA contrast (4.5:1) against the background it sits on.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ColorSchemeTests
{
    private const string ClientKey = "team-a-client-key-0123456789";

    private static readonly string[] Pages = ["requests", "keys", "spend", "models", "clients"];

    /// <summary>
    /// Each visible text's colour (an SVG text's fill) against the first opaque background behind it, as WCAG's
    /// contrast ratio; the ones under 4.5 are returned as "tag.class "text": ratio".
    /// </summary>
    private const string LowContrastScript = """
        () => {
          const parse = (c) => {
            const m = /rgba?\(([^)]+)\)/.exec(c);
            if (!m) return null;
            const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
            return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
          };
          const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
          const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
          const behind = (element) => {
            for (let e = element; e; e = e.parentElement) {
              const c = parse(getComputedStyle(e).backgroundColor);
              if (c && c.a > 0.5) return c;
            }
            return parse(getComputedStyle(document.documentElement).backgroundColor) ?? { r: 255, g: 255, b: 255, a: 1 };
          };
          const failures = [];
          const seen = new Set();
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const text = walker.currentNode.textContent.trim();
            const element = walker.currentNode.parentElement;
            if (!text || seen.has(element) || !element.checkVisibility()) continue;
            if (element.closest('title, option')) continue;
            seen.add(element);
            const style = getComputedStyle(element);
            const fg = parse(element instanceof SVGElement ? style.fill : style.color);
            if (!fg) continue;
            const a = luminance(fg), b = luminance(behind(element));
            const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            if (ratio < 4.5) failures.push(`${element.tagName.toLowerCase()}.${element.getAttribute('class') ?? ''} "${text.slice(0, 40)}": ${ratio.toFixed(2)}`);
          }
          return failures;
        }
        """;

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task EveryPage_HasReadableText_InTheSchemeTheSystemAsksFor(ColorScheme scheme)
    {
        await using var gateway = await DashboardGateway.StartAsync(
            config => config with { Breaker = new BreakerConfig(1, TimeSpan.FromMinutes(5)) },
            [new ClientKeyConfig("team-a", ClientKeyHash.Of(ClientKey)) { BudgetUsdPerDay = 5m }]);
        (await gateway.ChatAsClientAsync(ClientKey)).Dispose();
        gateway.Gateway[DashboardGateway.Free].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromMinutes(10)));
        gateway.Gateway[DashboardGateway.Paid].Enqueue(SimulatedFault.Overloaded());
        (await gateway.ChatAsClientAsync(ClientKey)).Dispose();

        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = browser.Page;
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });
        await page.GotoAsync(new Uri(gateway.Address, "/ui/").AbsoluteUri);
        await Expect(page.Locator("#login")).ToBeVisibleAsync();
        await AssertReadableAsync(page, scheme, "login");

        await browser.LogInAsync(gateway.Address, DashboardGateway.Token);
        foreach (var name in Pages)
        {
            await browser.OpenAsync(name);
            await Expect(page.Locator("#page h1")).ToBeVisibleAsync();
            await Expect(page.Locator("#page .muted:text('Loading…')")).ToHaveCountAsync(0);
            await AssertReadableAsync(page, scheme, name);
            if (scheme == ColorScheme.Dark)
            {
                await browser.ScreenshotIfAskedAsync(name + "-dark");
            }
        }

        browser.AssertCleanRun(gateway.Address);
    }

    private static async Task AssertReadableAsync(IPage page, ColorScheme scheme, string name)
    {
        var background = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        var dark = await page.EvaluateAsync<bool>("() => matchMedia('(prefers-color-scheme: dark)').matches");
        Assert.Equal(scheme == ColorScheme.Dark, dark);
        Assert.Equal(scheme == ColorScheme.Dark ? "rgb(15, 17, 21)" : "rgb(247, 247, 248)", background);
        var failures = await page.EvaluateAsync<string[]>(LowContrastScript);
        Assert.True(failures.Length == 0, $"{name} ({scheme}): text below 4.5:1 contrast:\n" + string.Join("\n", failures));
    }
}
