using System.Collections;
using System.CommandLine;
using System.Net;
using Spillway.Core.Configuration;
using Spillway.Demo;
using Spillway.Hosting;

namespace Spillway.Cli;

/// <summary><c>spillway serve [--config FILE] [--urls URL | --port N] [--data DIR] [--demo] [--log-format console|json]</c> (README.md).</summary>
internal static class ServeCommand
{
    public static Command Create(TimeProvider time)
    {
        var config = new Option<FileInfo?>("--config") { Description = "The YAML config file. Without one, provider keys come from the environment." };
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen.",
            DefaultValueFactory = _ => "http://127.0.0.1:4000",
        };
        var port = new Option<int?>("--port") { Description = "Listen on http://127.0.0.1:PORT (instead of --urls)." }.PortNumber();
        var data = DataFolder.Option();
        var demo = new Option<bool>("--demo") { Description = "Run with built-in SIMULATED providers whose free tiers run out after a few requests." };
        var logFormat = LogFormatOption.Create();
        var serve = new Command("serve", "Run the gateway.") { config, urls, port, data, demo, logFormat };
        serve.SetAction(async (result, cancellationToken) =>
        {
            var listen = result.GetValue(urls)!;
            if (result.GetValue(port) is { } portNumber)
            {
                if (result.GetResult(urls) is { Implicit: false })
                {
                    await Console.Error.WriteLineAsync(
                        $"spillway: give --port or --urls, not both (--port {portNumber} means --urls {LoopbackUrl(portNumber)}).");
                    return 2;
                }

                listen = LoopbackUrl(portNumber);
            }

            return await RunAsync(
                result.GetValue(config),
                listen,
                result.GetValue(data)!,
                result.GetValue(demo),
                LogFormatOption.FormatOf(result.GetValue(logFormat)),
                time,
                cancellationToken);
        });
        return serve;
    }

    /// <summary>What <c>--port</c> <paramref name="port"/> listens on: loopback only, as the default address.</summary>
    internal static string LoopbackUrl(int port) => "http://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <param name="dataDirectory">The resolved data folder (<see cref="DataFolder"/>); the demo leaves it alone.</param>
    private static async Task<int> RunAsync(
        FileInfo? configFile, string urls, string dataDirectory, bool demo, LogFormat logFormat, TimeProvider time, CancellationToken cancellationToken)
    {
        DemoEnvironment? demoEnvironment = null;
        try
        {
            SpillwayConfig config;
            try
            {
                if (demo)
                {
                    demoEnvironment = await DemoEnvironment.StartAsync(cancellationToken);
                    config = demoEnvironment.Config;
                }
                else if (await ServeConfig.LoadAsync(configFile, dataDirectory, ReadEnvironment(), time, Console.Error, cancellationToken) is { } loaded)
                {
                    config = loaded;
                }
                else
                {
                    await Console.Error.WriteLineAsync(
                        "spillway: " + ServeConfig.NoProviders + "; starting the built-in demo with SIMULATED providers.");
                    demo = true;
                    demoEnvironment = await DemoEnvironment.StartAsync(cancellationToken);
                    config = demoEnvironment.Config;
                }
            }
            catch (ConfigException ex)
            {
                await Console.Error.WriteLineAsync("spillway: " + ex.Message);
                return 2;
            }

            if (!IsLoopbackOnly(urls) && config.Auth.Clients.IsDefaultOrEmpty)
            {
                await Console.Error.WriteLineAsync(
                    $"spillway: refusing to listen on '{urls}' without client keys: anyone who can reach it could spend your provider keys. Add client keys (spillway clients add, or auth.clients in the config), or listen on 127.0.0.1.");
                return 2;
            }

            // One gateway per data folder (the demo has a folder of its own), held until serve returns.
            string? lockProblem = null;
            using var folderLock = demoEnvironment is null ? DataFolderLock.TryAcquire(dataDirectory, out lockProblem) : null;
            if (lockProblem is not null)
            {
                await Console.Error.WriteLineAsync("spillway: " + lockProblem);
                return 2;
            }

            // Before it serves anything: from here on no core dump of this process may carry the keys it holds.
            CoreDumps.Prevent();

            // The demo never reads or writes the user's data folder: its spent free tiers and ledger rows stay in its own.
            await using var app = SpillwayApp.Build(new SpillwayAppOptions
            {
                Config = config,
                Urls = urls,
                DataDirectory = demoEnvironment?.DataDirectory ?? dataDirectory,
                Demo = demo,
                Time = time,
                LogFormat = logFormat,
            });
            await app.StartAsync(cancellationToken);

            // The demo opens with a populated dashboard: its own first requests, made before the banner.
            var demoRequests = demoEnvironment is null ? 0 : await DemoTraffic.SendAsync(SpillwayApp.Reachable(app.BoundAddress()), cancellationToken);

            // With JSON logs, stdout carries nothing but JSON lines, so a collector can parse each one; the banner is
            // for the person starting serve, who still sees it on stderr (as journald keeps both). As one JSON log
            // line it would be a dozen lines of text squeezed into a message, no easier to read or to parse.
            var bannerOutput = logFormat == LogFormat.Json ? Console.Error : Console.Out;
            Banner.Print(bannerOutput, app, config, dataDirectory, demoEnvironment is null ? null : new DemoData(demoEnvironment.DataDirectory, demoRequests));
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        }
        finally
        {
            if (demoEnvironment is not null)
            {
                await demoEnvironment.DisposeAsync();
            }
        }
    }

    internal static Dictionary<string, string?> ReadEnvironment()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string;
        }

        return variables;
    }

    private static bool IsLoopbackOnly(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                return false;
            }

            var loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
            if (!loopback)
            {
                return false;
            }
        }

        return true;
    }
}
