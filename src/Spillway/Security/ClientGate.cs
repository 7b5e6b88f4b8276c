using System.Net;
using Spillway.Core.Chat;
using Spillway.Core.Configuration;

namespace Spillway.Security;

/// <summary>
/// Who is calling: a virtual client key (<c>Authorization: Bearer</c> or <c>x-api-key</c>), or, when no client keys
/// are configured, any caller on loopback and nobody else.
/// </summary>
internal static class ClientGate
{
    public static bool TryAdmit(HttpContext context, AuthConfig auth, out ClientKeyConfig? client, out ChatError? error)
    {
        client = null;
        error = null;
        if (auth.Clients.IsDefaultOrEmpty)
        {
            if (IsLoopback(context))
            {
                return true;
            }

            error = new ChatError(
                403,
                ChatErrorKind.PermissionDenied,
                "This Spillway serves loopback clients only: no client keys are configured (auth.clients).")
            {
                Code = "loopback_only",
            };
            return false;
        }

        var presented = PresentedKey(context.Request);
        client = auth.FindClient(presented);
        if (client is not null)
        {
            return true;
        }

        error = new ChatError(
            401,
            ChatErrorKind.Authentication,
            presented is null ? "Missing client key: send Authorization: Bearer KEY, x-api-key: KEY or (Gemini clients) x-goog-api-key: KEY." : "Invalid client key.")
        {
            Code = "invalid_api_key",
        };
        return false;
    }

    /// <summary>
    /// The admin API: the admin token when one is set (presented, or signed in with at the dashboard: its session
    /// cookie), else loopback callers only.
    /// </summary>
    public static bool TryAdmitAdmin(HttpContext context, AuthConfig auth, out ChatError? error)
    {
        error = null;
        if (auth.AdminToken is { } token)
        {
            if (token.FixedTimeEquals(PresentedKey(context.Request)) ||
                context.RequestServices?.GetService<DashboardSessions>()?.IsSignedIn(context) == true)
            {
                return true;
            }

            error = new ChatError(401, ChatErrorKind.Authentication, "The admin API needs the admin token: Authorization: Bearer TOKEN.")
            {
                Code = "invalid_admin_token",
            };
            return false;
        }

        if (IsLoopback(context))
        {
            return true;
        }

        error = new ChatError(403, ChatErrorKind.PermissionDenied, "No admin token is configured, so the admin API answers loopback callers only.")
        {
            Code = "loopback_only",
        };
        return false;
    }

    public static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var apiKey = request.Headers["x-api-key"].ToString();
        if (apiKey.Length > 0)
        {
            return apiKey;
        }

        // Gemini's clients: the x-goog-api-key header, or ?key= on Gemini's paths.
        var googKey = request.Headers["x-goog-api-key"].ToString();
        if (googKey.Length > 0)
        {
            return googKey;
        }

        var geminiPath = request.Path.StartsWithSegments("/v1beta", StringComparison.Ordinal) ||
            request.Path.StartsWithSegments("/v1/models", StringComparison.Ordinal);
        var queryKey = geminiPath ? request.Query["key"].ToString() : string.Empty;
        return queryKey.Length > 0 ? queryKey : null;
    }

    internal static bool IsLoopback(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);
}
