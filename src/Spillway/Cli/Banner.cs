using Spillway.Core.Configuration;
using Spillway.Hosting;
using Spillway.Serving;

namespace Spillway.Cli;

/// <summary>What `serve` prints once it listens: where, what it routes, and a first request to try.</summary>
internal static class Banner
{
    /// <param name="writer">Where the banner goes: stdout, or stderr when stdout carries JSON log lines.</param>
    /// <param name="dataDirectory">The user's data folder: where this gateway keeps its data, or what the demo leaves alone.</param>
    /// <param name="demo">Null outside the demo.</param>
    public static void Print(TextWriter writer, WebApplication app, SpillwayConfig config, string dataDirectory, DemoData? demo)
    {
        var address = app.BoundAddress();
        writer.WriteLine();
        writer.WriteLine($"Spillway is listening on {address} (config: {config.Source})");
        if (demo is not null)
        {
            writer.WriteLine("DEMO MODE: every provider below is a local SIMULATOR, not a real model. Free tiers run out after a few requests.");
            writer.WriteLine($"Demo data (ledger, quotas) lives in {demo.Directory} and is discarded when serve stops; each demo starts fresh.");
            writer.WriteLine($"The data folder {dataDirectory} is left untouched in demo mode.");
            writer.WriteLine($"The demo made {demo.Requests} requests of its own at start, so the dashboard has rows to show (the last one fell back).");
        }
        else
        {
            writer.WriteLine(DataFolder.Line(dataDirectory));
        }

        writer.WriteLine(StoresLine(app.Services.GetRequiredService<StoresInUse>()));
        writer.WriteLine(TelemetryLine(config, app.Configuration, address));
        writer.WriteLine(DashboardLine(config, address));
        foreach (var provider in config.Providers)
        {
            var tiers = string.Join(", ", provider.Keys.Select(k => $"{k.Id} ({k.Tier.ToString().ToLowerInvariant()})"));
            writer.WriteLine($"  provider {provider.Id,-16} {provider.BaseUrl}  keys: {tiers}{(provider.Simulated ? "  [simulated]" : string.Empty)}");
        }

        foreach (var alias in config.Models)
        {
            writer.WriteLine($"  alias    {alias.Id,-16} {string.Join(" -> ", alias.Route)}");
        }

        if (!config.Auth.Clients.IsDefaultOrEmpty)
        {
            writer.WriteLine($"  clients  {string.Join(", ", config.Auth.Clients.Select(c => c.Id))} (virtual keys required)");
        }

        var local = SpillwayApp.Reachable(address);
        var auth = config.Auth.Clients.IsDefaultOrEmpty ? string.Empty : " -H 'authorization: Bearer YOUR_CLIENT_KEY'";
        var model = config.Models.FirstOrDefault()?.Id ?? "provider/model";
        writer.WriteLine();
        writer.WriteLine("Try:");
        writer.WriteLine($"  curl -s {local}v1/chat/completions -H 'content-type: application/json'{auth} \\");
        writer.WriteLine($"    -d '{{\"model\":\"{model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"Hello\"}}]}}' -i");
        writer.WriteLine($"  curl -s {local}admin/requests?limit=5");
        writer.WriteLine();
    }

    /// <summary>Where the dashboard is and who may open it.</summary>
    internal static string DashboardLine(SpillwayConfig config, Uri address)
    {
        var local = SpillwayApp.Reachable(address);
        var access = config.Auth.AdminToken is null ? "loopback only, as /admin" : "sign in with the admin token";
        return $"Dashboard: {local}ui/ ({access}).";
    }

    /// <summary>Where the metrics are read, who may read them, and where spans go.</summary>
    internal static string TelemetryLine(SpillwayConfig config, IConfiguration settings, Uri address)
    {
        var local = SpillwayApp.Reachable(address);
        var guard = config.Telemetry.MetricsPublic ? "public"
            : config.Auth.AdminToken is null ? "loopback only, as /admin"
            : "admin token, as /admin";
        var traces = TelemetrySetup.TracesEndpoint(config.Telemetry, settings) switch
        {
            null => "off (set telemetry.otlp_endpoint or OTEL_EXPORTER_OTLP_ENDPOINT)",
            { Explicit: { } endpoint } => $"OTLP to {new UriBuilder(endpoint) { UserName = string.Empty, Password = string.Empty }.Uri}",
            _ => "OTLP to OTEL_EXPORTER_OTLP_ENDPOINT",
        };
        return $"Telemetry: Prometheus metrics at {local}metrics ({guard}); traces {traces}.";
    }

    /// <summary>Where live key state and records are kept: this instance's own, or shared with every instance.</summary>
    internal static string StoresLine(StoresInUse stores)
    {
        var live = stores.Redis is { } redis
            ? $"live key state in Redis at {redis} (shared by every instance{(stores.RedisAvailable() ? string.Empty : "; UNREACHABLE now, this instance counts on its own until it answers")})"
            : "live key state in this process";
        var records = stores.Postgres is { } postgres ? $"records in PostgreSQL at {postgres}" : "records in the data folder (SQLite)";
        var warning = stores.Postgres is not null && stores.Redis is null
            ? Environment.NewLine + "WARNING: PostgreSQL without Redis: quotas, cooldowns, breakers and client limits are per instance; several instances together can exceed a key's limits. Set storage.redis (or SPILLWAY_REDIS) to share them."
            : string.Empty;
        return $"Stores: {live}; {records}.{warning}";
    }
}

/// <summary>Where the demo keeps its data (never in the user's data folder).</summary>
/// <param name="Requests">How many of the demo's own first requests were served (<see cref="Demo.DemoTraffic"/>).</param>
internal sealed record DemoData(string Directory, int Requests);
