using Microsoft.Net.Http.Headers;
using Spillway.Security;
using Spillway.Serving;

namespace Spillway.Dashboard;

/// <summary>
/// <c>/ui</c>: the dashboard's page and files, and its sign-in. With an admin token configured, the page needs a
/// session started by <c>POST /ui/login</c> with that token (its data comes from the admin API, which takes the
/// session's cookie); without one, loopback callers get the page and others a 403, as for <c>/admin</c>. The scripts
/// and styles are served to anyone: they hold no data.
/// </summary>
internal static class DashboardEndpoints
{
    public static void MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        // One route for /ui, /ui/ and every file: routing ignores a trailing slash and a catch-all also matches
        // nothing, so separate routes for the page would be ambiguous.
        app.MapGet("/ui/{**path}", FileAsync);
        app.MapGet("/ui/session", SessionAsync);
        app.MapPost("/ui/login", LoginAsync);
        app.MapPost("/ui/logout", LogoutAsync);
    }

    /// <summary>The dashboard to a signed-in (or, without a token, loopback) caller; else the sign-in form.</summary>
    private static Task PageAsync(HttpContext context, ConfigHolder configs, DashboardFiles files)
    {
        var auth = configs.Current.Auth;
        if (auth.AdminToken is null && !ClientGate.IsLoopback(context))
        {
            return ForbiddenAsync(context);
        }

        var signedIn = ClientGate.TryAdmitAdmin(context, auth, out _);
        return WriteAsync(context, files.Find(signedIn ? "index.html" : "login.html"));
    }

    /// <summary>
    /// What the page needs to know about its own sign-in: whether a token guards it (so "Log out" means something).
    /// Answered only to a caller the page itself would be shown to.
    /// </summary>
    private static Task SessionAsync(HttpContext context, ConfigHolder configs)
    {
        var auth = configs.Current.Auth;
        DashboardHeaders.Apply(context.Response);
        context.Response.Headers.CacheControl = "no-store";
        if (!ClientGate.TryAdmitAdmin(context, auth, out _))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(auth.AdminToken is null ? """{"token_required":false}""" : """{"token_required":true}""", context.RequestAborted);
    }

    private static Task FileAsync(HttpContext context, string? path, DashboardFiles files, ConfigHolder configs)
    {
        if (!context.Request.Path.Value!.EndsWith('/') && string.IsNullOrEmpty(path))
        {
            // /ui: the page's relative links need the trailing slash.
            context.Response.Redirect("/ui/");
            return Task.CompletedTask;
        }

        return string.IsNullOrEmpty(path) || path == "index.html"
            ? PageAsync(context, configs, files)
            : WriteAsync(context, files.Find(path));
    }

    private static async Task LoginAsync(HttpContext context, ConfigHolder configs, DashboardSessions sessions, LoginThrottle throttle)
    {
        DashboardHeaders.Apply(context.Response);
        var address = context.Connection.RemoteIpAddress;
        if (!SameOrigin(context.Request) || configs.Current.Auth.AdminToken is not { } token)
        {
            SeeOther(context, "/ui/");
            return;
        }

        if (!throttle.MayTry(address))
        {
            SeeOther(context, "/ui/login.html?error=too_many");
            return;
        }

        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
        if (!token.FixedTimeEquals(form?["token"].ToString()))
        {
            throttle.Fail(address);
            SeeOther(context, throttle.MayTry(address) ? "/ui/login.html?error=invalid" : "/ui/login.html?error=too_many");
            return;
        }

        throttle.Succeed(address);
        DashboardSessions.SetCookie(context, sessions.Start());
        SeeOther(context, "/ui/");
    }

    private static Task LogoutAsync(HttpContext context, DashboardSessions sessions)
    {
        DashboardHeaders.Apply(context.Response);
        if (SameOrigin(context.Request))
        {
            sessions.End(context.Request.Cookies[DashboardSessions.CookieName]);
            DashboardSessions.ClearCookie(context);
        }

        SeeOther(context, "/ui/");
        return Task.CompletedTask;
    }

    /// <summary>303: after a form post the browser asks for <paramref name="location"/> with a GET.</summary>
    private static void SeeOther(HttpContext context, string location)
    {
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = location;
    }

    /// <summary>
    /// A form posted from another site is refused (the cookie is SameSite=Strict too; this is the belt). A browser
    /// says where the post came from in <c>Sec-Fetch-Site</c>; without it, the <c>Origin</c> must be this host.
    /// </summary>
    private static bool SameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site == "same-origin";
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || (Uri.TryCreate(origin, UriKind.Absolute, out var uri) &&
            string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }

    private static async Task WriteAsync(HttpContext context, DashboardFile? file)
    {
        var response = context.Response;
        DashboardHeaders.Apply(response);
        if (file is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync("Not found.", context.RequestAborted);
            return;
        }

        // Pages are never cached (they depend on the session); files are revalidated by their content hash.
        var page = file.ContentType.StartsWith("text/html", StringComparison.Ordinal);
        response.Headers.CacheControl = page ? "no-store" : "no-cache";
        response.Headers.ETag = file.ETag;
        if (!page && context.Request.Headers.IfNoneMatch.ToString() == file.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = file.ContentType;
        response.ContentLength = file.Bytes.Length;
        await response.Body.WriteAsync(file.Bytes, context.RequestAborted);
    }

    private static async Task ForbiddenAsync(HttpContext context)
    {
        DashboardHeaders.Apply(context.Response);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers[HeaderNames.CacheControl] = "no-store";
        await context.Response.WriteAsync(
            "No admin token is configured (auth.admin_token), so the dashboard answers loopback callers only.", context.RequestAborted);
    }
}
