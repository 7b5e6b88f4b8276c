using System.Globalization;

namespace Spillway.Bench.Load.Targets;

/// <summary>
/// Runs the real spillway executable (<c>spillway serve --config FILE --urls URL --data DIR</c>) over a config whose
/// only upstream is the simulator, with two aliases: a one-step route, and a chain whose first step answers a
/// billing 429 once and is then skipped in cooldown. Embedded by default (SQLite in its data folder, state in its
/// memory); with the shared stores' variables, over Redis and PostgreSQL (README "Shared stores").
/// </summary>
internal static class SpillwayLauncher
{
    public const string OneStepAlias = "bench-one-step";

    /// <summary>One step as well, to a key with a day limit far above what the benchmark sends.</summary>
    public const string LimitedOneStepAlias = "bench-one-step-limited";
    public const string CooledChainAlias = "bench-cooled-chain";
    public const string ServedRoute = "sim/bench-model";

    /// <param name="stores">The Redis and PostgreSQL to share, or null for an embedded instance.</param>
    /// <param name="traces">An OTLP/HTTP collector to send spans to (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), or null for none.</param>
    public static async Task<RunningTarget> StartAsync(
        string name,
        string executable,
        Uri upstreamRoot,
        string alias,
        string workDirectory,
        CancellationToken cancellationToken,
        SharedStores? stores = null,
        Uri? traces = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(workDirectory, Slugs.Of(name))).FullName;
        var configFile = Path.Combine(folder, "spillway.yaml");
        await File.WriteAllTextAsync(configFile, Config(upstreamRoot), cancellationToken);
        var port = FreePort.Next();
        var root = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var process = ChildProcess.Start(
            executable,
            ["serve", "--config", configFile, "--urls", root.AbsoluteUri.TrimEnd('/'), "--data", Path.Combine(folder, "data")],
            Path.Combine(folder, "spillway"),
            environment: new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                // The same config either way: without a storage: section, serve reads the stores from these. An
                // embedded instance must not pick up ones set in the benchmark's own environment.
                [SharedStores.RedisVariable] = stores?.RedisConfiguration,
                [SharedStores.PostgresVariable] = stores?.PostgresConnectionString,
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = traces?.AbsoluteUri.TrimEnd('/'),
            });
        TimeSpan startup;
        try
        {
            startup = await process.WaitUntilListeningAsync(new Uri(root, "/healthz"), cancellationToken);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new RunningTarget
        {
            Name = name,
            StartupTime = startup,
            ChatUrl = new Uri(root, "/v1/chat/completions"),
            Model = alias,
            Headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["Authorization"] = "Bearer bench-key" },
            Process = process,
            Stores = stores,
        };
    }

    /// <summary>Both providers are the simulator; <c>spent</c> is its path that answers <c>insufficient_quota</c>.</summary>
    private static string Config(Uri upstreamRoot)
    {
        var root = upstreamRoot.AbsoluteUri.TrimEnd('/');
        return $"""
            providers:
              - id: sim
                format: openai
                base_url: {root}/v1
                keys:
                  - {"{"} id: sim-1, value: bench-key, tier: free {"}"}
              - id: limited
                format: openai
                base_url: {root}/v1
                keys:
                  - {"{"} id: limited-1, value: bench-key, tier: free, limits: {"{"} rpd: 1000000000 {"}"} {"}"}
              - id: spent
                format: openai
                base_url: {root}/spent/v1
                keys:
                  - {"{"} id: spent-1, value: bench-key, tier: free {"}"}
            models:
              - id: {OneStepAlias}
                strategy: ordered
                route: [{ServedRoute}]
              - id: {LimitedOneStepAlias}
                strategy: ordered
                route: [limited/bench-model]
              - id: {CooledChainAlias}
                strategy: ordered
                route: [spent/bench-model, {ServedRoute}]
            """;
    }
}
