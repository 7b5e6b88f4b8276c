using System.Globalization;
using Yarp.ReverseProxy.Configuration;

namespace Spillway.Bench.Load.Targets;

/// <summary>
/// The floor: a plain YARP reverse proxy with one catch-all route to the simulated upstream, defaults otherwise.
/// What any .NET proxy pays at least; Spillway does more per request (sniff, plan, rewrite, ledger) on top of it.
/// </summary>
internal static class FloorProxy
{
    /// <summary>Runs until killed: <c>yarp PORT UPSTREAM_URL</c>.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (args.Count != 2 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var port) ||
            !Uri.TryCreate(args[1], UriKind.Absolute, out var upstream))
        {
            await Console.Error.WriteLineAsync("usage: Spillway.Bench.Load yarp PORT UPSTREAM_URL");
            return 2;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        // YARP logs every forwarded request at Information; a proxy under load logs failures only, as Spillway does.
        builder.Logging.ClearProviders();
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "upstream", Match = new RouteMatch { Path = "{**catch-all}" } }],
            [new ClusterConfig
            {
                ClusterId = "upstream",
                Destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal)
                {
                    ["simulator"] = new() { Address = upstream.AbsoluteUri },
                },
            }]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.RunAsync();
        return 0;
    }
}
