using System.Globalization;

namespace Spillway.Bench.Load.Upstream;

/// <summary>
/// The <c>upstream PORT</c> role: the simulated upstream alone until stopped, to profile a proxy by hand
/// (point it at <c>http://127.0.0.1:PORT/v1</c> and drive it with wrk and Scripts/post.lua).
/// </summary>
internal static class StandaloneUpstream
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (args.Count != 1 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var port))
        {
            await Console.Error.WriteLineAsync("usage: Spillway.Bench.Load upstream PORT");
            return 2;
        }

        await using var server = await UpstreamServer.StartAsync(port, CancellationToken.None);
        await Console.Out.WriteLineAsync($"simulated upstream on {server.Root}v1/chat/completions (spent: {server.Root}spent/v1/chat/completions)");
        await server.WaitForShutdownAsync();
        return 0;
    }
}
