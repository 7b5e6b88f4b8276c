using System.Net;
using Spillway.Core.Codecs;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;

namespace Spillway.Security;

/// <summary>
/// Who is calling: a virtual client key (<c>Authorization: Bearer</c> or <c>x-api-key</c>), or, when no client keys
/// are configured, any caller on loopback and nobody else.
/// </summary>
internal static class ClientGate
{
    public static bool TryAdmit(HttpContext context, AuthConfig auth, out ClientKeyConfig? client, out ClientError? error)
    {
        client = null;
        error = null;
        if (auth.Clients.IsDefaultOrEmpty)
        {
            if (IsLoopback(context))
            {
                return true;
            }

            error = new ClientError(
                403,
                "This Spillway serves loopback clients only: no client keys are configured (auth.clients).",
                "permission_error",
                "loopback_only");
            return false;
        }

        var presented = PresentedKey(context.Request);
        client = auth.FindClient(presented);
        if (client is not null)
        {
            return true;
        }

        error = new ClientError(
            401,
            presented is null ? "Missing client key: send Authorization: Bearer KEY or x-api-key: KEY." : "Invalid client key.",
            "authentication_error",
            "invalid_api_key");
        return false;
    }

    /// <summary>The admin API: the admin token when one is set, else loopback callers only.</summary>
    public static bool TryAdmitAdmin(HttpContext context, AuthConfig auth, out ClientError? error)
    {
        error = null;
        if (auth.AdminToken is { } token)
        {
            if (token.FixedTimeEquals(PresentedKey(context.Request)))
            {
                return true;
            }

            error = new ClientError(401, "The admin API needs the admin token: Authorization: Bearer TOKEN.", "authentication_error", "invalid_admin_token");
            return false;
        }

        if (IsLoopback(context))
        {
            return true;
        }

        error = new ClientError(403, "No admin token is configured, so the admin API answers loopback callers only.", "permission_error", "loopback_only");
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
        return apiKey.Length > 0 ? apiKey : null;
    }

    private static bool IsLoopback(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);
}
