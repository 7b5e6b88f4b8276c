using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using Spillway.Cli;
using Spillway.Tests.Support;
using Spillway.TestSupport;

namespace Spillway.Tests.Packaging;

/// <summary>
/// The README's install path, done for real: <c>dotnet pack src/Spillway</c>, <c>dotnet tool install</c> from that
/// folder (into a tool path of the test's own), then the installed <c>spillway</c> answers <c>--version</c> and serves
/// the demo over HTTP. Everything it writes lives in one temp folder.
/// </summary>
public sealed class ToolInstallTests : IDisposable
{
    private static readonly TimeSpan PackLimit = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan InstallLimit = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(45);

    private readonly TempDirectory _root = new();

    public void Dispose()
    {
        _root.Dispose();
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_root.Path, name)).FullName;

    [Fact]
    public async Task DotnetToolInstall_PackedSpillway_PrintsItsVersionAndServesTheDemo()
    {
        var nupkg = Folder("nupkg");
        var tools = Folder("tools");

        await PackAsync(nupkg);
        var package = Assert.Single(Directory.GetFiles(nupkg, "*.nupkg"));
        const string Prefix = "spillway.";
        Assert.StartsWith(Prefix, Path.GetFileName(package), StringComparison.Ordinal);
        var version = Path.GetFileNameWithoutExtension(package)[Prefix.Length..];
        Assert.Equal(version, typeof(SpillwayCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

        await InstallAsync(nupkg, tools, version);
        var spillway = Path.Combine(tools, OperatingSystem.IsWindows() ? "spillway.exe" : "spillway");

        var (exit, stdout, stderr) = await RunAsync(Command(spillway, "--version"), CommandLimit, "spillway --version");
        Assert.True(exit == 0, $"spillway --version exited with {exit}:\n{stdout}\n{stderr}");
        Assert.Equal(version, stdout.Trim());

        await ServeDemoAsync(spillway);
    }

    /// <summary>
    /// <c>dotnet pack src/Spillway -c Release -o <paramref name="nupkg"/></c>, the README's command, with every
    /// intermediate and output file under this test's folder (<c>--artifacts-path</c> gives each project its own
    /// <c>bin</c>/<c>obj</c> there): it never writes the <c>src/*/bin</c> and <c>obj</c> folders that a build running
    /// beside the tests (or the one that built them) uses, so the two cannot collide. It compiles the four projects once
    /// more, in Release as a user packs them, which is what makes it slow; <c>--no-build</c> over the tests' own build
    /// would be faster but would pack whatever configuration that build had and write into its folders.
    /// </summary>
    private async Task PackAsync(string nupkg)
    {
        var start = Dotnet(
            "pack", Path.Combine(RepositoryRoot(), "src", "Spillway"),
            "-c", "Release",
            "-o", nupkg,
            "--artifacts-path", Path.Combine(_root.Path, "artifacts"),
            // No MSBuild node or compiler server outlives the pack: one would keep its output pipe open.
            "--disable-build-servers",
            "-nologo");
        var (exit, stdout, stderr) = await RunAsync(start, PackLimit, "dotnet pack");
        Assert.True(exit == 0, $"dotnet pack exited with {exit}:\n{stdout}\n{stderr}");
    }

    /// <summary>
    /// <c>dotnet tool install --tool-path TOOLS --add-source NUPKG spillway</c>, with a NuGet config that lists only
    /// that folder: the version just packed is installed and no other source is asked.
    /// </summary>
    private async Task InstallAsync(string nupkg, string tools, string version)
    {
        var config = Path.Combine(_root.Path, "nuget.config");
        await File.WriteAllTextAsync(config, """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
              </packageSources>
            </configuration>
            """);
        var start = Dotnet(
            "tool", "install",
            "--tool-path", tools,
            "--add-source", nupkg,
            "--configfile", config,
            "--version", version,
            "spillway");
        var (exit, stdout, stderr) = await RunAsync(start, InstallLimit, "dotnet tool install");
        Assert.True(exit == 0, $"dotnet tool install exited with {exit}:\n{stdout}\n{stderr}");
    }

    /// <summary>Starts <c>spillway serve --demo --port P</c>, waits until it answers, sends one chat completion, stops it.</summary>
    private async Task ServeDemoAsync(string spillway)
    {
        var port = FreeLoopbackPort();
        using var process = Process.Start(Command(spillway, "serve", "--demo", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            ?? throw new InvalidOperationException("spillway serve did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        bool healthy;
        HttpStatusCode? status = null;
        var body = string.Empty;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            healthy = await WaitUntilHealthyAsync(http, process);
            if (healthy)
            {
                using var response = await http.PostAsync("/v1/chat/completions", TestGateway.ChatBody("free-first"));
                status = response.StatusCode;
                body = await response.Content.ReadAsStringAsync();
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }

        var output = $"\nstdout:\n{await stdout}\nstderr:\n{await stderr}";
        Assert.True(healthy, $"spillway serve --demo did not answer /healthz within {StartLimit.TotalSeconds} s.{output}");
        Assert.True(status == HttpStatusCode.OK, $"POST /v1/chat/completions answered {(int?)status}: {body}{output}");
        Assert.Contains("\"chat.completion\"", body, StringComparison.Ordinal);
    }

    /// <summary>Polls <c>GET /healthz</c> until it answers 200, the process exits, or <see cref="StartLimit"/> passes.</summary>
    private static async Task<bool> WaitUntilHealthyAsync(HttpClient http, Process process)
    {
        using var limit = new CancellationTokenSource(StartLimit);
        while (!limit.IsCancellationRequested && !process.HasExited)
        {
            try
            {
                using var health = await http.GetAsync("/healthz", limit.Token);
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
            await Task.WhenAny(process.WaitForExitAsync(limit.Token), Task.Delay(TimeSpan.FromMilliseconds(200), limit.Token));
        }

        return false;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary><c>dotnet</c> (the SDK running these tests when known) with <paramref name="arguments"/>, in the test's folder.</summary>
    private ProcessStartInfo Dotnet(params string[] arguments)
    {
        var start = Start(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet", arguments);
        // The MSBuild settings of the build that runs these tests belong to it, not to a build of its own.
        foreach (var name in start.Environment.Keys.Where(n => n.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        return start;
    }

    /// <summary>
    /// The installed <c>spillway</c> with <paramref name="arguments"/>, run as a user runs it but kept inside the test's
    /// folder: its working folder (the default data folder is <c>./.spillway</c>), <c>HOME</c>, <c>SPILLWAY_DATA</c>
    /// and the temp folder all point there.
    /// </summary>
    private ProcessStartInfo Command(string spillway, params string[] arguments)
    {
        var start = Start(spillway, arguments);
        var home = Folder("home");
        start.Environment["HOME"] = home;
        start.Environment["USERPROFILE"] = home;
        start.Environment["SPILLWAY_DATA"] = Path.Combine(home, "data");
        start.Environment["TMPDIR"] = Folder("tmp");
        start.Environment.Remove("SPILLWAY_MASTER_KEY");
        // The tool's launcher finds the .NET runtime through DOTNET_ROOT or the machine's default location; point it
        // at the runtime running these tests when nothing says otherwise (a user-local SDK is not in the default place).
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ROOT")))
        {
            start.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        }

        return start;
    }

    private ProcessStartInfo Start(string fileName, string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = Folder("work"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(ProcessStartInfo start, TimeSpan limit, string name)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException(name + " did not start.");
        try
        {
            return await ChildProcessRunner.RunAsync(process, limit, name);
        }
        catch (TimeoutException timedOut)
        {
            Assert.Fail(timedOut.Message);
            throw;
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Spillway.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("Spillway.slnx was not found above " + AppContext.BaseDirectory + ".");
    }
}
