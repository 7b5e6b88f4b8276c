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
    /// 200 <c>ready</c> while the gateway should be sent requests; 503 <c>not_ready</c> with <c>reasons</c> (one
    /// sentence per failed check) while a store it was configured with does not answer, the ledger cannot be written,
    /// or once shutdown began, so a load balancer drains an instance before it goes. <c>checks</c> has one entry per
    /// check (<see cref="Readiness"/>), each with its <c>status</c>, <c>ok</c> when it passes.
    /// </summary>
    private static async Task ReadyAsync(HttpContext context, IHostApplicationLifetime lifetime, ConfigHolder configs, StoresInUse stores)
    {
        var readiness = Readiness.Of(configs.Current.Source, stores, lifetime.ApplicationStopping.IsCancellationRequested);
        context.Response.StatusCode = readiness.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        await using var json = ReadableJson.CreateWriter(context);
        json.WriteStartObject();
        json.WriteString("status", readiness.Ready ? "ready" : "not_ready");
        json.WriteStartObject("checks");
        foreach (var check in readiness.Checks)
        {
            json.WriteStartObject(check.Name);
            json.WriteString("status", check.Status);
            foreach (var (name, value) in check.Facts)
            {
                json.WriteString(name, value);
            }

            foreach (var (name, value) in check.Counts)
            {
                json.WriteNumber(name, value);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        if (!readiness.Ready)
        {
            json.WriteStartArray("reasons");
            foreach (var reason in readiness.Reasons)
            {
                json.WriteStringValue(reason);
            }

            json.WriteEndArray();
        }

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
