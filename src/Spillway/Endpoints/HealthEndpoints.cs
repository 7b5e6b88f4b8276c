using Spillway.Serving;

namespace Spillway.Endpoints;

/// <summary><c>GET /healthz</c>: the process answers, and what it serves. <c>GET /readyz</c>: it takes requests.</summary>
internal static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", HealthAsync);
        app.MapGet("/readyz", ReadyAsync);
    }

    /// <summary>
    /// 200 <c>ready</c> while the gateway takes requests; 503 <c>stopping</c> once shutdown began, so a load balancer
    /// drains an instance before it goes. (The listener opens only after the config, key state and ledger are up.)
    /// </summary>
    private static async Task ReadyAsync(HttpContext context, IHostApplicationLifetime lifetime)
    {
        var stopping = lifetime.ApplicationStopping.IsCancellationRequested;
        context.Response.StatusCode = stopping ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await using var json = ReadableJson.CreateWriter(context);
        json.WriteStartObject();
        json.WriteString("status", stopping ? "stopping" : "ready");
        json.WriteEndObject();
    }

    private static async Task HealthAsync(HttpContext context, ConfigHolder configs, ServingOptions options)
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
    }
}
