using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spillway.Bench.Load.Targets;

namespace Spillway.Bench.Load.Measure;

/// <summary>Runs wrk (one thread, <c>--latency</c>) with Scripts/post.lua against a target.</summary>
internal static class Wrk
{
    private const string ResultMarker = "BENCH-RESULT ";

    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Scripts", "post.lua");

    /// <summary>Why wrk cannot run here, or null when it can.</summary>
    public static string? Unavailable()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var found = path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, "wrk")));
        return found ? null : "wrk is not on PATH (Debian: apt-get install -y wrk; bench/run-load.sh installs it)";
    }

    /// <summary>
    /// One run of <paramref name="duration"/> at <paramref name="connections"/>. One wrk thread: on a small machine
    /// wrk, the proxy and the upstream share the cores, and one event loop drives 32 connections with the least CPU.
    /// </summary>
    public static async Task<WrkResult> RunAsync(
        RunningTarget target, bool stream, int connections, TimeSpan duration, string logFile, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "-t1", $"-c{connections.ToString(CultureInfo.InvariantCulture)}",
                     $"-d{duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s", "--timeout", "5s", "--latency",
                     "-s", Script, target.ChatUrl.AbsoluteUri,
                 })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["BENCH_BODY"] = RequestBodies.Chat(target.Model, stream);
        info.Environment["BENCH_HEADERS"] = string.Join('\n', target.Headers.Select(h => h.Key + ": " + h.Value));

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start wrk");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(duration + TimeSpan.FromSeconds(20));
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var output = await stdout + await stderr;
            await File.WriteAllTextAsync(logFile, output, cancellationToken);
            return Parse(output) ?? throw new InvalidOperationException($"wrk printed no result (exit {process.ExitCode}); see {logFile}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static WrkResult? Parse(string output)
    {
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(ResultMarker, StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        using var json = JsonDocument.Parse(line[ResultMarker.Length..]);
        var root = json.RootElement;
        long Count(string name) => root.GetProperty(name).GetInt64();
        double Number(string name) => root.GetProperty(name).GetDouble();
        return new WrkResult(
            Count("requests"),
            Number("duration_us") / 1e6,
            Number("p50_us"),
            Number("p90_us"),
            Number("p99_us"),
            Number("mean_us"),
            Count("connect") + Count("read") + Count("write") + Count("status") + Count("timeout"));
    }
}
