using System.Diagnostics;
using System.Globalization;

namespace Spillway.Bench.Load.Measure;

/// <summary>
/// Which commands the clients sent, as against the ones Lua scripts ran: <c>INFO commandstats</c> counts both alike
/// (an EVALSHA and every HGET its script calls), so round trips are counted from a <c>redis-cli MONITOR</c> sample,
/// which names the caller of each command (<c>[0 127.0.0.1:PORT]</c> or <c>[0 lua]</c>). MONITOR slows Redis down,
/// so it watches a warm-up run, never a measured one.
/// </summary>
internal sealed class RedisMonitor : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task _reading;
    private readonly Dictionary<string, long> _sent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _inScripts = new(StringComparer.Ordinal);

    private RedisMonitor(Process process)
    {
        _process = process;
        _reading = ReadAsync();
    }

    /// <summary>Starts watching; commands are counted until <see cref="StopAsync"/>.</summary>
    public static async Task<RedisMonitor> StartAsync(int port, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("redis-cli")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "MONITOR" })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start redis-cli MONITOR");
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginErrorReadLine();
        var monitor = new RedisMonitor(process);

        // MONITOR answers OK once it is watching; what it printed before is not counted anyway.
        await Task.Delay(200, cancellationToken);
        return monitor;
    }

    /// <summary>Stops watching and returns what was counted: commands sent by clients, and commands run by scripts.</summary>
    public async Task<(IReadOnlyDictionary<string, long> Sent, IReadOnlyDictionary<string, long> InScripts)> StopAsync()
    {
        // What was sent just before the end is still on its way through redis-cli's output.
        await Task.Delay(200);
        Kill();
        await _reading;
        lock (_sent)
        {
            return (new Dictionary<string, long>(_sent, StringComparer.Ordinal), new Dictionary<string, long>(_inScripts, StringComparer.Ordinal));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _reading;
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
    }

    /// <summary>The numkeys argument of an EVAL or EVALSHA line: the second quoted argument after the command.</summary>
    private static string? ScriptKeyCount(string line, int commandEnd)
    {
        // "evalsha" "SHA-or-script" "NUMKEYS": the SHA has no quote in it; a script's text may, so EVAL is best effort.
        var open = line.IndexOf(" \"", commandEnd + 1, StringComparison.Ordinal);
        var close = open < 0 ? -1 : line.IndexOf('"', open + 2);
        var nextOpen = close < 0 ? -1 : line.IndexOf(" \"", close + 1, StringComparison.Ordinal);
        var nextClose = nextOpen < 0 ? -1 : line.IndexOf('"', nextOpen + 2);
        if (nextClose < 0)
        {
            return null;
        }

        var keys = line[(nextOpen + 2)..nextClose];
        return keys.Length is > 0 and <= 3 && keys.All(char.IsAsciiDigit) ? keys : null;
    }

    // 1733520000.123456 [0 127.0.0.1:45678] "evalsha" "3f2a..." "9" ...
    // 1733520000.123470 [0 lua] "hmget" "spillway:quota:..." ...
    private async Task ReadAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                var close = line.IndexOf("] \"", StringComparison.Ordinal);
                if (close < 0)
                {
                    continue;
                }

                var end = line.IndexOf('"', close + 3);
                if (end < 0)
                {
                    continue;
                }

                var command = line[(close + 3)..end].ToLowerInvariant();
                if (command is "evalsha" or "eval" && ScriptKeyCount(line, end) is { } keys)
                {
                    // Scripts are told apart by how many keys they take (the quota scripts: admit 11, settle 5).
                    command += $"/{keys}k";
                }

                var fromScript = line.AsSpan(0, close).EndsWith(" lua", StringComparison.Ordinal);
                lock (_sent)
                {
                    var counts = fromScript ? _inScripts : _sent;
                    counts[command] = counts.GetValueOrDefault(command) + 1;
                }
            }
        }
        catch (IOException)
        {
            // The process was killed mid-line.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
