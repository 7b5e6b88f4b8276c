using System.Text.Json;
using Spillway.Core.Health;
using Spillway.Serving;

namespace Spillway.Endpoints;

/// <summary><c>GET /admin/routes</c>: each route's breaker and measured speed. Guarded by the admin token.</summary>
internal static class AdminRoutesEndpoints
{
    public static void MapAdminRoutesEndpoints(this IEndpointRouteBuilder app) => app.MapGet("/admin/routes", RoutesAsync);

    private static async Task RoutesAsync(HttpContext context, ConfigHolder configs, RouteHealth health)
    {
        if (!await AdminEndpoints.AdmitAsync(context, configs))
        {
            return;
        }

        var routes = health.Routes(configs.Current.Providers);

        context.Response.ContentType = "application/json";
        await using var json = ReadableJson.CreateWriter(context);
        json.WriteStartArray();
        foreach (var route in routes)
        {
            WriteRoute(json, route, health.Breakers.View(route), health.Speed.View(route));
        }

        json.WriteEndArray();
    }

    private static void WriteRoute(Utf8JsonWriter json, string route, BreakerView breaker, RouteSpeedView speed)
    {
        json.WriteStartObject();
        json.WriteString("route", route);
        json.WriteStartObject("breaker");
        json.WriteString("state", StateName(breaker.State));
        json.WriteNumber("failures", breaker.Failures);
        json.WriteStringOrNull("open_until", breaker.OpenUntil);

        if (breaker.LastFailure is { } last)
        {
            json.WriteStartObject("last_failure");
            json.WriteString("at", last.At);
            json.WriteString("outcome", last.Outcome);
            json.WriteString("reason", last.Reason);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("last_failure");
        }

        json.WriteEndObject();
        WriteMs(json, "latency_ms", speed.LatencyMs);
        WriteMs(json, "ttft_ms", speed.TtftMs);
        json.WriteNumber("samples", speed.Samples);
        json.WriteEndObject();
    }

    internal static string StateName(BreakerState state) => state switch
    {
        BreakerState.Open => "open",
        BreakerState.HalfOpen => "half_open",
        _ => "closed",
    };

    private static void WriteMs(Utf8JsonWriter json, string name, double? ms)
    {
        if (ms is { } value)
        {
            json.WriteNumber(name, Math.Round(value, 1));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
