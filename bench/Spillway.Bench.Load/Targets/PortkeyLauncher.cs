using System.Globalization;

namespace Spillway.Bench.Load.Targets;

/// <summary>
/// Runs the Portkey gateway from <c>bench/peers</c> (<c>npm ci</c> there) under node, routed to the simulator by
/// its <c>x-portkey-provider</c> and <c>x-portkey-custom-host</c> headers.
/// </summary>
internal static class PortkeyLauncher
{
    public const string Version = "1.15.2";

    private const string StartScript = "node_modules/@portkey-ai/gateway/build/start-server.js";

    // Portkey's streaming path appends to the headers of a fetch() response, which undici makes immutable
    // (Portkey-AI/gateway issues #1389 and #1550); the preload hands it responses with mutable headers instead.
    private const string Preload = "fetch-mutable-headers.mjs";

    /// <summary>Why Portkey cannot run from <paramref name="peersDirectory"/>, or null when it can.</summary>
    public static string? Unavailable(string? peersDirectory)
    {
        if (peersDirectory is null)
        {
            return "no --peers folder given";
        }

        if (!File.Exists(Path.Combine(peersDirectory, StartScript)))
        {
            return $"not installed in {peersDirectory} (npm ci there; the npm registry may be unreachable)";
        }

        return File.Exists(Path.Combine(peersDirectory, Preload)) ? null : $"{Preload} is missing from {peersDirectory}";
    }

    public static async Task<RunningTarget> StartAsync(
        string name, string peersDirectory, Uri upstreamRoot, string workDirectory, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var root = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var process = ChildProcess.Start(
            "node",
            [
                "--import", new Uri(Path.Combine(peersDirectory, Preload)).AbsoluteUri,
                Path.Combine(peersDirectory, StartScript),
                $"--port={port.ToString(CultureInfo.InvariantCulture)}",
                "--headless",
            ],
            Path.Combine(workDirectory, "portkey"),
            peersDirectory);
        try
        {
            await process.WaitUntilListeningAsync(root, cancellationToken);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new RunningTarget
        {
            Name = name,
            ChatUrl = new Uri(root, "/v1/chat/completions"),
            Model = "bench-model",
            Headers = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Authorization"] = "Bearer bench-key",
                ["x-portkey-provider"] = "openai",
                ["x-portkey-custom-host"] = new Uri(upstreamRoot, "/v1").AbsoluteUri,
            },
            Process = process,
        };
    }
}
