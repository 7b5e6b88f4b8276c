using System.CommandLine;
using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Yaml;
using Spillway.Core.Health;
using Spillway.Core.KeyState;
using Spillway.Core.Planning;
using Spillway.Core.Providers;

namespace Spillway.Cli;

/// <summary>
/// <c>spillway config check [--config FILE] [--data DIR] [--json]</c>: loads and validates the config exactly as
/// <c>serve</c> would (<see cref="ServeConfig"/>), and prints its providers and each alias's chain of routes and keys
/// in the order a plain request tries them, without starting anything. Never a key's value.
/// </summary>
internal static class ConfigCommand
{
    public static Command Create(TimeProvider time)
    {
        var config = new Command("config", "Check the configuration serve would run.");
        var file = new Option<FileInfo?>("--config") { Description = "The YAML config file. Without one, provider keys come from the environment, as for serve." };
        var data = DataFolder.Option();
        var json = new Option<bool>("--json") { Description = "Print JSON (the data folder line goes to stderr)." };
        var check = new Command("check", "Validate the config as serve would and print its providers and resolved chains, without starting.") { file, data, json };
        check.SetAction((result, cancellationToken) => CheckAsync(
            result.GetValue(file), result.GetValue(data)!, result.GetValue(json), ServeCommand.ReadEnvironment(), time, Console.Out, Console.Error, cancellationToken));
        config.Subcommands.Add(check);
        return config;
    }

    /// <summary>0 and the report on <paramref name="output"/>; 2 and one line on <paramref name="error"/> for a config serve would refuse.</summary>
    internal static async Task<int> CheckAsync(
        FileInfo? configFile,
        string dataDirectory,
        bool json,
        IReadOnlyDictionary<string, string?> environment,
        TimeProvider time,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        await (json ? error : output).WriteLineAsync(DataFolder.Line(dataDirectory));
        SpillwayConfig? config;
        try
        {
            config = await ServeConfig.LoadAsync(configFile, dataDirectory, environment, time, error, cancellationToken);
        }
        catch (ConfigException ex)
        {
            await error.WriteLineAsync("spillway: " + ex.Message);
            return 2;
        }

        if (config is null)
        {
            await error.WriteLineAsync("spillway: " + ServeConfig.NoProviders + " and no key stored in the data folder: serve would start the built-in demo.");
            return 1;
        }

        var report = Report(config, dataDirectory, time);
        if (json)
        {
            await CliJson.WriteAsync(output, report, CliJsonContext.Default.ConfigCheckJson);
            return 0;
        }

        await output.WriteLineAsync("config: " + report.Source);
        await output.WriteLineAsync("providers:");
        foreach (var provider in report.Providers)
        {
            var keys = string.Join(", ", provider.Keys.Select(k => $"{k.Id} ({k.Tier})"));
            await output.WriteLineAsync($"  {provider.Id,-16} {provider.Format,-9} {provider.BaseUrl}  keys: {keys}");
        }

        await output.WriteLineAsync("models:");
        foreach (var alias in report.Models)
        {
            await output.WriteLineAsync($"  {alias.Id} ({alias.Strategy}): {string.Join(" -> ", alias.Routes)}");
            for (var i = 0; i < alias.Chain.Count; i++)
            {
                var step = alias.Chain[i];
                await output.WriteLineAsync($"    {i + 1}. {step.Route}  key {step.Key} ({step.Tier})");
            }
        }

        if (report.Clients.Count > 0)
        {
            await output.WriteLineAsync("clients: " + string.Join(", ", report.Clients));
        }

        // Only the hosts: the connection strings may carry passwords.
        await output.WriteLineAsync("storage: " + (config.Storage.IsEmpty ? "none (everything in the data folder)" : config.Storage.Describe()));

        await output.WriteLineAsync($"OK: {Count(report.Providers.Count, "provider")}, {Count(report.Models.Count, "alias", "aliases")}.");
        return 0;
    }

    private static ConfigCheckJson Report(SpillwayConfig config, string dataDirectory, TimeProvider time)
    {
        // A plain request on a fresh gateway: no latency measured yet, no key used yet.
        var planner = new RoutePlanner(new UnmeasuredRouteSpeed(), new InMemoryKeyUsage(time));
        return new ConfigCheckJson(
            config.Source,
            dataDirectory,
            [.. config.Providers.Select(p => new ConfigProviderJson(p.Id, ConfigNames.Name(p.Format), p.BaseUrl, [.. p.Keys.Select(k => new ConfigKeyJson(k.Id, Tier(k.Tier)))]))],
            [.. config.Models.Select(alias => new ConfigAliasJson(alias.Id, Strategy(alias.Strategy), alias.Route, Chain(planner, config, alias)))],
            [.. config.Auth.Clients.Select(c => c.Id)],
            new ConfigStorageJson(
                config.Storage.Redis is { } redis ? StorageConfig.RedisTarget(redis.Reveal()) : null,
                config.Storage.Postgres is { } postgres ? StorageConfig.PostgresTarget(postgres.Reveal()) : null));
    }

    private static List<ConfigStepJson> Chain(RoutePlanner planner, SpillwayConfig config, ModelAliasConfig alias) =>
        planner.Plan(config, PlanRequest.For(alias.Id), out _) is { } plan
            ? [.. plan.Steps.Select(step => new ConfigStepJson(step.Route, step.Key.Id, Tier(step.Key.Tier)))]
            : [];

    private static string Tier(KeyTier tier) => tier == KeyTier.Free ? "free" : "paid";

    private static string Strategy(RoutingStrategy strategy) => strategy switch
    {
        RoutingStrategy.Ordered => "ordered",
        RoutingStrategy.Cheapest => "cheapest",
        RoutingStrategy.Fastest => "fastest",
        _ => "free-first",
    };

    private static string Count(int n, string one, string? many = null) => n == 1 ? $"1 {one}" : $"{n} {many ?? one + "s"}";
}
