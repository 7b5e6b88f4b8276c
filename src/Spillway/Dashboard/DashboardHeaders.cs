namespace Spillway.Dashboard;

/// <summary>
/// The headers of every <c>/ui</c> answer: a Content-Security-Policy that lets the page run only its own scripts and
/// styles and talk only to its own origin (no inline script or style, no frames), no MIME sniffing, no referrer to other sites.
/// </summary>
internal static class DashboardHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void Apply(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        // same-origin, not no-referrer: with no-referrer a browser posts the sign-in form with "Origin: null".
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers.XFrameOptions = "DENY";
    }
}
