using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Spillway.Security;

/// <summary>
/// The dashboard's sign-ins: a random 256-bit id per session, held in this process for <see cref="Lifetime"/> and
/// carried by an HttpOnly, SameSite=Strict cookie, which also lets the page read the admin API. Nothing about a
/// session is derived from the admin token, so the cookie never reveals it; a restart signs everyone out.
/// </summary>
internal sealed class DashboardSessions(TimeProvider time)
{
    public const string CookieName = "spillway_session";

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _sessions = new(StringComparer.Ordinal);

    /// <summary>Starts a session; returns its id for the cookie.</summary>
    public string Start()
    {
        Sweep();
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _sessions[id] = time.GetUtcNow() + Lifetime;
        return id;
    }

    public void End(string? id)
    {
        if (id is not null)
        {
            _sessions.TryRemove(id, out _);
        }
    }

    /// <summary>True when the request carries the cookie of a session that has not expired.</summary>
    public bool IsSignedIn(HttpContext context) =>
        context.Request.Cookies[CookieName] is { Length: 64 } id && _sessions.TryGetValue(id, out var until) && until > time.GetUtcNow();

    /// <summary>Writes the session cookie: HttpOnly, SameSite=Strict, for the whole origin (the page reads /admin).</summary>
    public static void SetCookie(HttpContext context, string id) =>
        context.Response.Cookies.Append(CookieName, id, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            MaxAge = Lifetime,
            IsEssential = true,
        });

    public static void ClearCookie(HttpContext context) =>
        context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/", SameSite = SameSiteMode.Strict, HttpOnly = true });

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (id, until) in _sessions)
        {
            if (until <= now)
            {
                _sessions.TryRemove(id, out _);
            }
        }
    }
}
