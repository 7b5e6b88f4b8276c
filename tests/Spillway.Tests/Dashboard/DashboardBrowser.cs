using System.Collections.Concurrent;
using Microsoft.Playwright;
using Spillway.Tests.Support;
using Spillway.TestSupport;

namespace Spillway.Tests.Dashboard;

/// <summary>
/// The machine's Chromium (<c>/usr/bin/chromium</c>, Debian's package; never a downloaded browser), headless, driven by
/// Playwright with a fresh profile folder. It records every request the page makes, console errors and uncaught
/// exceptions, so a test can prove the dashboard stays on the gateway's origin and runs clean.
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Generous: the tests run on a slow, busy machine; Playwright's expectations poll until this.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly IPlaywright _playwright;
    private readonly TempDirectory _profile;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private DashboardBrowser(IPlaywright playwright, TempDirectory profile, IBrowserContext context, IPage page)
    {
        _playwright = playwright;
        _profile = profile;
        Context = context;
        Page = page;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Every URL the page asked for, in order.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    /// <summary>Console errors and uncaught exceptions.</summary>
    public IReadOnlyCollection<string> Errors => _errors;

    public static async Task<DashboardBrowser> LaunchAsync(int width = 1280, int height = 800)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"{ChromiumPath} is missing: install Debian's Chromium (apt-get install -y chromium), as .ci/run does.");
        }

        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
        var playwright = await Playwright.CreateAsync();
        var profile = new TempDirectory();
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile.Path, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Timeout = (float)Patience.TotalMilliseconds * 2,
        });
        context.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
        var browser = new DashboardBrowser(playwright, profile, context, page);
        context.Request += (_, request) => browser._requests.Enqueue(request.Url);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                browser._errors.Enqueue($"console: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => browser._errors.Enqueue("pageerror: " + error);
        return browser;
    }

    /// <summary>Opens <c>/ui/</c> and logs in with <paramref name="token"/> through the login form.</summary>
    public async Task SubmitLoginAsync(Uri gateway, string token)
    {
        await Page.GotoAsync(new Uri(gateway, "/ui/").AbsoluteUri);
        await Page.Locator("#login #token").FillAsync(token);
        await Page.Locator("#login [type=submit]").ClickAsync();
    }

    /// <summary>Logs in with the right token and waits for the Requests page, the dashboard's home.</summary>
    public async Task LogInAsync(Uri gateway, string token)
    {
        await SubmitLoginAsync(gateway, token);
        await Assertions.Expect(Page.Locator("nav a[href='#/requests'][aria-current=page]")).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator("table#requests")).ToBeVisibleAsync();
    }

    /// <summary>Opens a page by its nav link and waits until the router has shown it.</summary>
    public async Task OpenAsync(string page)
    {
        await Page.Locator($"nav a[href='#/{page}']").ClickAsync();
        await Assertions.Expect(Page.Locator($"nav a[href='#/{page}'][aria-current=page]")).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator($"#page .page-{page}")).ToBeVisibleAsync();
    }

    /// <summary>
    /// With <c>SPILLWAY_SCREENSHOTS=1</c>, saves the page as <c>docs/screenshots/<paramref name="name"/>.png</c> (the
    /// README's and the docs' pictures come from the tests' own run).
    /// </summary>
    public async Task ScreenshotIfAskedAsync(string name)
    {
        if (Environment.GetEnvironmentVariable("SPILLWAY_SCREENSHOTS") != "1")
        {
            return;
        }

        var folder = Path.Combine(DotnetCli.RepositoryRoot(), "docs", "screenshots");
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png") });
    }

    /// <summary>Every request went to the gateway's own origin, and the page logged no error.</summary>
    public void AssertCleanRun(Uri gateway)
    {
        var origin = gateway.GetLeftPart(UriPartial.Authority) + "/";
        var foreign = _requests.Where(url => !url.StartsWith(origin, StringComparison.Ordinal)).ToList();
        Assert.True(foreign.Count == 0, "Requests left the gateway's origin:\n" + string.Join("\n", foreign));
        Assert.False(_requests.IsEmpty, "The page made no request at all.");
        Assert.True(_errors.IsEmpty, "The page logged errors:\n" + string.Join("\n", _errors));
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        _profile.Dispose();
    }
}
