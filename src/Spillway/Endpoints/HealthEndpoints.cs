using Spillway.Serving;

namespace Spillway.Endpoints;

/// <summary><c>GET /healthz</c>: the process answers, and what it serves.</summary>
internal static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/healthz", async (HttpContext context, ConfigHolder configs, ServingOptions options) =>
        {
            var config = configs.Current;
            context.Response.ContentType = "application/json";
            await using var json = ReadableJson.CreateWriter(context);
            json.WriteStartObject();
            json.WriteString("status", "ok");
            json.WriteNumber("providers", config.Providers.Length);
            json.WriteNumber("aliases", config.Models.Length);
            json.WriteBoolean("demo", options.Demo);
            if (options.Demo)
            {
                json.WriteString("note", "demo mode: every provider is a local simulator, not a real model");
            }

            json.WriteEndObject();
        });
}
