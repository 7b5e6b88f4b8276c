using System.Net;
using Spillway.Core.Configuration;
using Spillway.Core.Providers;
using Spillway.Dashboard;
using Spillway.Security;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Dashboard;

/// <summary>Who gets the dashboard at <c>/ui</c>: the sign-in with the admin token, its session, its headers.</summary>
public sealed class DashboardAccessTests
{
    private const string AdminToken = "dashboard-admin-token-0123456789";

    [Fact]
    public async Task Ui_SignInWithTheAdminToken_StartsASessionThatReadsTheAdminApiUntilSignOut()
    {
        await using var gateway = await StartAsync(AdminToken);
        using var http = Client(gateway);

        using (var page = await http.GetAsync("/ui/"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("id=\"login\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(DashboardHeaders.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single());
        }

        using (var refused = await http.GetAsync("/admin/requests"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var noSession = await http.GetAsync("/ui/session"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noSession.StatusCode);
        }

        using var signIn = await http.PostAsync("/ui/login", Form(AdminToken));
        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        Assert.Equal("/ui/", signIn.Headers.Location?.OriginalString);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith(DashboardSessions.CookieName + "=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(AdminToken, cookie, StringComparison.Ordinal);
        var session = cookie.Split(';')[0];

        using (var page = await Send(http, HttpMethod.Get, "/ui/", session))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains(">Requests<", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        }

        using (var read = await Send(http, HttpMethod.Get, "/admin/requests", session))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        using (var state = await Send(http, HttpMethod.Get, "/ui/session", session))
        {
            Assert.Equal(HttpStatusCode.OK, state.StatusCode);
            Assert.Equal("""{"token_required":true}""", await state.Content.ReadAsStringAsync());
        }

        using (var signOut = await Send(http, HttpMethod.Post, "/ui/logout", session))
        {
            Assert.Equal(HttpStatusCode.SeeOther, signOut.StatusCode);
        }

        using var after = await Send(http, HttpMethod.Get, "/admin/requests", session);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Ui_WrongTokens_AreRefusedAndAfterFiveTheAddressWaits()
    {
        await using var gateway = await StartAsync(AdminToken);
        using var http = Client(gateway);

        for (var i = 0; i < LoginThrottle.MaxFailures; i++)
        {
            using var wrong = await http.PostAsync("/ui/login", Form("not-the-token-" + i));
            Assert.Equal(HttpStatusCode.SeeOther, wrong.StatusCode);
            Assert.Equal(i + 1 < LoginThrottle.MaxFailures ? "/ui/login.html?error=invalid" : "/ui/login.html?error=too_many", wrong.Headers.Location?.OriginalString);
            Assert.False(wrong.Headers.Contains("Set-Cookie"));
        }

        // Even the right token waits out the window now.
        using var blocked = await http.PostAsync("/ui/login", Form(AdminToken));
        Assert.Equal("/ui/login.html?error=too_many", blocked.Headers.Location?.OriginalString);
        Assert.False(blocked.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Ui_ASignInPostedFromAnotherSite_StartsNoSession()
    {
        await using var gateway = await StartAsync(AdminToken);
        using var http = Client(gateway);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ui/login") { Content = Form(AdminToken) };
        request.Headers.Add("Origin", "http://evil.example");

        using var response = await http.SendAsync(request);

        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Ui_WithoutAnAdminToken_ServesTheDashboardToLoopbackAndItsFilesWithTheirHash()
    {
        await using var gateway = await StartAsync(adminToken: null);
        using var http = Client(gateway);

        using (var page = await http.GetAsync("/ui/"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains(">Requests<", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        }

        using (var state = await http.GetAsync("/ui/session"))
        {
            Assert.Equal("""{"token_required":false}""", await state.Content.ReadAsStringAsync());
        }

        using var script = await http.GetAsync("/ui/assets/app.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        var etag = script.Headers.ETag!.Tag;
        using var again = new HttpRequestMessage(HttpMethod.Get, "/ui/assets/app.js");
        again.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var cached = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
        using var missing = await http.GetAsync("/ui/assets/nothing-here.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static Task<TestGateway> StartAsync(string? adminToken) =>
        TestGateway.StartAsync(
            [new SimulatedProvider("ui-a")],
            (_, config) => adminToken is null ? config : config with { Auth = new AuthConfig { AdminToken = new Secret(adminToken) } });

    private static HttpClient Client(TestGateway gateway) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = gateway.Address };

    private static FormUrlEncodedContent Form(string token) => new([new KeyValuePair<string, string>("token", token)]);

    private static Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string cookie)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        return http.SendAsync(request);
    }
}
