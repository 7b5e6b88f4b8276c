using System.Globalization;

namespace Spillway.Bench.Load.Targets;

/// <summary>Runs this executable's <c>yarp</c> role (<see cref="FloorProxy"/>) as a child process.</summary>
internal static class YarpLauncher
{
    public static async Task<RunningTarget> StartAsync(string name, Uri upstreamRoot, string workDirectory, CancellationToken cancellationToken)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("the benchmark's own executable path is unknown");
        var port = FreePort.Next();
        var root = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var process = ChildProcess.Start(
            self, ["yarp", port.ToString(CultureInfo.InvariantCulture), upstreamRoot.AbsoluteUri], Path.Combine(workDirectory, "yarp"));
        try
        {
            // Any answer will do: YARP forwards the probe to the simulator, which has no such page.
            await process.WaitUntilListeningAsync(new Uri(root, "/ready"), cancellationToken);
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
            Headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["Authorization"] = "Bearer bench-key" },
            Process = process,
        };
    }
}
