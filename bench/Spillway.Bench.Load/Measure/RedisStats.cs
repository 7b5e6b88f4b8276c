using System.Diagnostics;
using System.Globalization;

namespace Spillway.Bench.Load.Measure;

/// <summary>
/// What Redis itself counted up to one moment (<c>redis-cli INFO cpu commandstats</c>): calls per command and the
/// server's CPU time. Two readings around a wrk run give the commands each request cost; the readings' own INFO
/// calls are taken out.
/// </summary>
internal sealed record RedisStats(IReadOnlyDictionary<string, long> Calls, double CpuSeconds)
{
    private const string InfoCommand = "info";

    public static readonly RedisStats Empty = new(new Dictionary<string, long>(StringComparer.Ordinal), 0);

    /// <summary>The total number of commands.</summary>
    public long TotalCalls => Calls.Values.Sum();

    public static async Task<RedisStats> ReadAsync(int port, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("redis-cli")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "INFO", "cpu", "commandstats" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start redis-cli");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli INFO failed with {process.ExitCode}: {await stderr}");
        }

        return Parse(output);
    }

    /// <summary>What happened between <paramref name="before"/> and this reading, without the readings' INFO calls.</summary>
    public RedisStats Since(RedisStats before)
    {
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (command, count) in Calls)
        {
            var added = count - before.Calls.GetValueOrDefault(command);
            if (command == InfoCommand)
            {
                added--;
            }

            if (added > 0)
            {
                calls[command] = added;
            }
        }

        return new RedisStats(calls, CpuSeconds - before.CpuSeconds);
    }

    // cmdstat_evalsha:calls=123,usec=456,usec_per_call=3.71,rejected_calls=0,failed_calls=0
    // used_cpu_sys:1.234 / used_cpu_user:2.345
    private static RedisStats Parse(string output)
    {
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        double cpu = 0;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("cmdstat_", StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
            {
                var command = line["cmdstat_".Length..colon];
                var field = line[(colon + 1)..].Split(',').FirstOrDefault(f => f.StartsWith("calls=", StringComparison.Ordinal));
                if (field is not null && long.TryParse(field["calls=".Length..], CultureInfo.InvariantCulture, out var count))
                {
                    calls[command] = count;
                }
            }
            else if ((line.StartsWith("used_cpu_sys:", StringComparison.Ordinal) || line.StartsWith("used_cpu_user:", StringComparison.Ordinal))
                     && double.TryParse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture, out var seconds))
            {
                cpu += seconds;
            }
        }

        return new RedisStats(calls, cpu);
    }
}
