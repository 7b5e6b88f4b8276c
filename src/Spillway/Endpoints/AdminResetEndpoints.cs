using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Health;
using Spillway.Core.KeyState;
using Spillway.Http;
using Spillway.Serving;

namespace Spillway.Endpoints;

/// <summary>
/// Resets by hand, for a key or route fixed at the provider: <c>POST /admin/keys/{id}/reset</c> ends every cooldown
/// of the key (a rejected key included) and forgets its rejections; <c>POST /admin/routes/{provider/model}/reset</c>
/// closes the route's breaker (the slash may be sent as is or as <c>%2F</c>). Guarded by the admin token.
/// </summary>
internal static class AdminResetEndpoints
{
    private const string ResetSuffix = "/reset";

    public static void MapAdminResetEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/admin/keys/{id}/reset", ResetKeyAsync);

        // A route holds slashes of its own (openrouter/meta-llama/llama-3.3-70b:free), so the path is taken whole.
        app.MapPost("/admin/routes/{**path}", ResetRouteAsync);
    }

    private static async Task ResetKeyAsync(string id, HttpContext context, ConfigHolder configs, IKeyStateStore keys, TimeProvider time)
    {
        if (!await AdminEndpoints.AdmitAsync(context, configs))
        {
            return;
        }

        var now = time.GetUtcNow();
        var known = configs.Current.Providers.Any(p => p.Keys.Any(k => k.Id == id)) ||
                    keys.ActiveCooldowns(now).Any(c => c.KeyId == id);
        if (!known)
        {
            await NotFoundAsync(context, $"No key '{id}' is configured; GET /admin/keys lists the keys.");
            return;
        }

        var ended = keys.Reset(id, now);
        await WriteAsync(context, json =>
        {
            json.WriteString("id", id);
            json.WriteNumber("cooldowns_ended", ended);
        });
    }

    private static async Task ResetRouteAsync(string path, HttpContext context, ConfigHolder configs, RouteHealth health)
    {
        if (!await AdminEndpoints.AdmitAsync(context, configs))
        {
            return;
        }

        if (!path.EndsWith(ResetSuffix, StringComparison.Ordinal))
        {
            await NotFoundAsync(context, "Unknown admin path; POST /admin/routes/{provider/model}/reset resets a route's breaker.");
            return;
        }

        var route = Uri.UnescapeDataString(path[..^ResetSuffix.Length]);
        var known = configs.Current.Providers.Any(p => p.Models.Any(m => p.Id + "/" + m == route)) ||
                    health.Breakers.Routes.Contains(route, StringComparer.Ordinal);
        if (!known)
        {
            await NotFoundAsync(context, $"No route '{route}' is configured or has been called; GET /admin/routes lists the routes.");
            return;
        }

        var before = health.Breakers.Reset(route);
        await WriteAsync(context, json =>
        {
            json.WriteString("route", route);
            json.WriteString("breaker_was", AdminRoutesEndpoints.StateName(before));
        });
    }

    private static Task NotFoundAsync(HttpContext context, string message) =>
        ErrorResponses.WriteAsync(
            context,
            Core.Codecs.OpenAI.OpenAIClientFormat.Instance,
            new ChatError(404, ChatErrorKind.NotFound, message) { Code = "not_found" },
            null);

    private static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> fields)
    {
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        fields(json);
        json.WriteBoolean("reset", true);
        json.WriteEndObject();
    }
}
