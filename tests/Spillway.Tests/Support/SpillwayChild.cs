using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;

namespace Spillway.Tests.Support;

/// <summary>
/// A <c>spillway</c> executable (an installed tool, the Native AOT binary) run as a user runs it, but kept inside one
/// folder of the test's: its working folder, <c>HOME</c>, <c>SPILLWAY_DATA</c> and the temp folder all point there,
/// and no master key comes from the test's own environment.
/// </summary>
public sealed class SpillwayChild(string executable, string folder)
{
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(60);

    public string Executable { get; } = executable;

    /// <summary>Variables the child gets besides its folders (a shared store's connection string, a master key).</summary>
    public Dictionary<string, string> Variables { get; } = [];

    /// <summary>The data folder the child uses (<c>SPILLWAY_DATA</c>).</summary>
    public string DataFolder => Path.Combine(Folder("home"), "data");

    /// <summary>The start of <c>spillway ARGS</c>, output redirected.</summary>
    public ProcessStartInfo Command(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = Folder("work"),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var home = Folder("home");
        start.Environment["HOME"] = home;
        start.Environment["USERPROFILE"] = home;
        start.Environment["SPILLWAY_DATA"] = DataFolder;
        start.Environment["TMPDIR"] = Folder("tmp");
        start.Environment.Remove("SPILLWAY_MASTER_KEY");
        start.Environment.Remove("SPILLWAY_URL");
        start.Environment.Remove("SPILLWAY_ADMIN_TOKEN");
        start.Environment.Remove("SPILLWAY_REDIS");
        start.Environment.Remove("SPILLWAY_POSTGRES");
        foreach (var (name, value) in Variables)
        {
            start.Environment[name] = value;
        }

        // A framework-dependent tool finds the .NET runtime through DOTNET_ROOT or the machine's default location; point
        // it at the runtime running these tests when nothing says otherwise. The native binary ignores it.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ROOT")))
        {
            start.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        }

        return start;
    }

    /// <summary>Runs <c>spillway ARGS</c> to its end with <paramref name="stdin"/> as its input.</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string stdin, params string[] arguments)
    {
        using var process = Process.Start(Command(arguments)) ?? throw new InvalidOperationException("spillway did not start.");
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        return await ChildProcessRunner.RunAsync(process, CommandLimit, "spillway " + string.Join(' ', arguments));
    }

    /// <summary>Starts <c>spillway serve ARGS --port P</c> and waits until it answers <c>/healthz</c>.</summary>
    public async Task<ServeChild> ServeAsync(params string[] arguments)
    {
        var port = LoopbackPorts.Free();
        var process = Process.Start(Command(["serve", .. arguments, "--port", port.ToString(CultureInfo.InvariantCulture)]))
            ?? throw new InvalidOperationException("spillway serve did not start.");
        var serve = new ServeChild(process, new Uri($"http://127.0.0.1:{port}"));
        if (!await serve.WaitUntilHealthyAsync())
        {
            var output = await serve.StopAsync();
            Assert.Fail($"spillway serve did not answer /healthz within {ServeChild.StartLimit.TotalSeconds} s.{output}");
        }

        return serve;
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(folder, name)).FullName;
}

/// <summary>A running <c>spillway serve</c> child: an HTTP client on its address, stopped (killed) at dispose.</summary>
public sealed class ServeChild : IAsyncDisposable
{
    public static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(45);

    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    public ServeChild(Process process, Uri address)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    /// <summary>Polls <c>GET /healthz</c> until it answers 200, the process exits, or <see cref="StartLimit"/> passes.</summary>
    public async Task<bool> WaitUntilHealthyAsync()
    {
        using var limit = new CancellationTokenSource(StartLimit);
        while (!limit.IsCancellationRequested && !_process.HasExited)
        {
            try
            {
                using var health = await Http.GetAsync("/healthz", limit.Token);
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (!limit.IsCancellationRequested)
            {
                // This one call timed out while the process starts: ask again.
            }
            catch (OperationCanceledException)
            {
                break;
            }

            // The next poll comes soon, or at once when the process has exited.
            await Task.WhenAny(_process.WaitForExitAsync(limit.Token), Task.Delay(TimeSpan.FromMilliseconds(50), limit.Token));
        }

        return false;
    }

    /// <summary>
    /// Sends SIGTERM (what <c>systemctl stop</c> and <c>docker stop</c> send first) and waits for the process to end
    /// on its own; returns its exit code and what it printed.
    /// </summary>
    public async Task<(int ExitCode, string Output)> TerminateAsync()
    {
        Assert.Equal(0, SendSignal(_process.Id, SigTerm));
        await _process.WaitForExitAsync();
        return (_process.ExitCode, $"\nstdout:\n{await _stdout}\nstderr:\n{await _stderr}");
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>Kills the process and returns what it printed, for a failure message.</summary>
    public async Task<string> StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        return $"\nstdout:\n{await _stdout}\nstderr:\n{await _stderr}";
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
        _process.Dispose();
    }
}
