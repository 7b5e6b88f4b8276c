using System.Diagnostics;
using System.Globalization;

namespace Spillway.Bench.Load.Targets;

/// <summary>
/// A proxy under test run as its own process: started with its output sent to a log file, polled until it answers
/// HTTP, measured through /proc, and killed with its children at the end.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly FileStream _stdout;
    private readonly FileStream _stderr;
    private readonly Task _pump;
    private readonly long _started;

    private ChildProcess(Process process, FileStream stdout, FileStream stderr, long started)
    {
        _process = process;
        _started = started;
        _stdout = stdout;
        _stderr = stderr;
        _pump = Task.WhenAll(
            process.StandardOutput.BaseStream.CopyToAsync(stdout),
            process.StandardError.BaseStream.CopyToAsync(stderr));
    }

    public int Id => _process.Id;

    /// <summary>Starts <paramref name="fileName"/>; its stdout and stderr go to <c>LOGPREFIX.stdout.log</c> and <c>.stderr.log</c>.</summary>
    /// <param name="environment">Variables to set (a null value removes one the benchmark itself has), or null.</param>
    public static ChildProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        string logPrefix,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        return new ChildProcess(process, File.Create(logPrefix + ".stdout.log"), File.Create(logPrefix + ".stderr.log"), started);
    }

    /// <summary>Waits until <paramref name="probe"/> answers any HTTP status (the process is listening).</summary>
    /// <returns>The start-up time: from the process's start to the probe's first answer, polled every 5 ms.</returns>
    public async Task<TimeSpan> WaitUntilListeningAsync(Uri probe, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited with {_process.ExitCode} before it listened");
            }

            try
            {
                using var response = await client.GetAsync(probe, cancellationToken);
                return Stopwatch.GetElapsedTime(_started);
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Listening but slow to answer during its start: try again.
            }

            await Task.Delay(5, cancellationToken);
        }

        throw new TimeoutException($"{_process.StartInfo.FileName} did not listen on {probe} within {ReadyTimeout.TotalSeconds} s");
    }

    /// <summary>The peak resident set of the process so far (VmHWM of /proc/PID/status), in bytes.</summary>
    public long PeakRssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"no VmHWM in /proc/{_process.Id}/status");
    }

    /// <summary>User plus system CPU time the process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            await _pump.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // The process is killed; a pipe still open at this point only loses log lines.
        }

        await _stdout.DisposeAsync();
        await _stderr.DisposeAsync();
        _process.Dispose();
    }
}
