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

    /// <summary>
    /// 200 while the process answers. <c>status</c> is <c>ok</c>, or <c>degraded</c> while a shared store is unreachable
    /// (the instance still serves, on its own state: <c>problems</c> says what that means); <c>stores</c> says where
    /// live key state and records are kept; <c>ledger</c> how many entries wait to be written and how many were dropped
    /// (a full queue while the ledger could not be written), and <c>status</c> is <c>degraded</c> while it cannot be.
    /// </summary>
    private static async Task HealthAsync(HttpContext context, ConfigHolder configs, ServingOptions options, StoresInUse stores)
    {
        var config = configs.Current;
        var ledger = stores.Ledger();
        var problems = stores.Problems(ledger);
        context.Response.ContentType = "application/json";
        await using var json = ReadableJson.CreateWriter(context);
        json.WriteStartObject();
        json.WriteString("status", problems.Count == 0 ? "ok" : "degraded");
        json.WriteStartObject("stores");
        json.WriteString("live_state", stores.LiveState);
        if (stores.Redis is { } redis)
        {
            json.WriteString("redis", redis);
            json.WriteBoolean("redis_reachable", stores.RedisAvailable());
        }

        json.WriteString("records", stores.Records);
        if (stores.Postgres is { } postgres)
        {
            json.WriteString("postgres", postgres);
            json.WriteBoolean("postgres_reachable", stores.PostgresAvailable());
        }

        json.WriteEndObject();
        json.WriteStartObject("ledger");
        json.WriteNumber("queued", ledger.Queued);
        json.WriteNumber("dropped", ledger.Dropped);
        json.WriteEndObject();
        if (problems.Count > 0)
        {
            json.WriteStartArray("problems");
            foreach (var problem in problems)
            {
                json.WriteStringValue(problem);
            }

            json.WriteEndArray();
        }

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
