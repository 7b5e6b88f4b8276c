using Spillway.Core.Configuration;
using Spillway.Hosting;

namespace Spillway.Cli;

/// <summary>What `serve` prints once it listens: where, what it routes, and a first request to try.</summary>
internal static class Banner
{
    public static void Print(WebApplication app, SpillwayConfig config, bool demo)
    {
        var address = app.BoundAddress();
        var writer = Console.Out;
        writer.WriteLine();
        writer.WriteLine($"Spillway is listening on {address} (config: {config.Source})");
        if (demo)
        {
            writer.WriteLine("DEMO MODE: every provider below is a local SIMULATOR, not a real model. Free tiers run out after a few requests.");
        }

        foreach (var provider in config.Providers)
        {
            var tiers = string.Join(", ", provider.Keys.Select(k => $"{k.Id} ({k.Tier.ToString().ToLowerInvariant()})"));
            writer.WriteLine($"  provider {provider.Id,-16} {provider.BaseUrl}  keys: {tiers}{(provider.Simulated ? "  [simulated]" : string.Empty)}");
        }

        foreach (var alias in config.Models)
        {
            writer.WriteLine($"  alias    {alias.Id,-16} {string.Join(" -> ", alias.Route)}");
        }

        var model = config.Models.FirstOrDefault()?.Id ?? "provider/model";
        writer.WriteLine();
        writer.WriteLine("Try:");
        writer.WriteLine($"  curl -s {address}v1/chat/completions -H 'content-type: application/json' \\");
        writer.WriteLine($"    -d '{{\"model\":\"{model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"Hello\"}}]}}' -i");
        writer.WriteLine($"  curl -s {address}admin/requests?limit=5");
        writer.WriteLine();
    }
}
