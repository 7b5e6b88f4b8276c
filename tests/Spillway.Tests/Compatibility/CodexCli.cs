using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Spillway.Tests.Support;

namespace Spillway.Tests.Compatibility;

/// <summary>
/// Runs the pinned Codex CLI from <c>tests/codex/node_modules</c> (installed by <c>npm ci --prefix tests/codex</c>)
/// against a gateway, as a user would: <c>openai_base_url</c> pointing at it in <c>$CODEX_HOME/config.toml</c>, the
/// client key in <c>CODEX_API_KEY</c>, an isolated <c>HOME</c>, <c>CODEX_HOME</c> and temp folder, no update check,
/// analytics or feedback, and proxies pointed at a closed loopback port so nothing can leave the machine.
/// </summary>
internal sealed class CodexCli : IDisposable
{
    public const string InstallCommand = "npm ci --prefix tests/codex";

    /// <summary>The client key Codex sends as <c>Authorization: Bearer …</c>.</summary>
    public const string ClientKey = "sk-client-key-for-the-gateway";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "spillway-codex-" + Guid.NewGuid().ToString("N"));

    public CodexCli()
    {
        Directory.CreateDirectory(HomeDirectory);
        Directory.CreateDirectory(CodexHome);
        Directory.CreateDirectory(TempDirectory);
        Directory.CreateDirectory(WorkingDirectory);
    }

    /// <summary>The folder Codex works in, where a test puts files for its tools.</summary>
    public string WorkingDirectory => Path.Combine(_root, "project");

    private string HomeDirectory => Path.Combine(_root, "home");

    private string CodexHome => Path.Combine(HomeDirectory, ".codex");

    private string TempDirectory => Path.Combine(_root, "tmp");

    /// <summary>The CLI's executable; fails the test, naming the install command, when it is not installed.</summary>
    public static string Executable()
    {
        var root = RepositoryRoot();
        var executable = Path.Combine(root, "tests", "codex", "node_modules", ".bin", "codex");
        Assert.True(
            File.Exists(executable),
            $"Codex CLI is not installed: {executable} is missing. Run `{InstallCommand}` in {root}.");
        return executable;
    }

    /// <summary>Runs <c>codex</c> with <paramref name="arguments"/> against the gateway at <paramref name="gateway"/> and waits for it to exit.</summary>
    public async Task<CodexRun> RunAsync(Uri gateway, params string[] arguments)
    {
        var executable = Executable();
        await File.WriteAllTextAsync(Path.Combine(CodexHome, "config.toml"), Config(gateway));
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        ConfigureEnvironment(start.Environment);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("codex did not start.");

        // codex exec appends piped stdin to the prompt: an empty one adds nothing.
        process.StandardInput.Close();
        try
        {
            var (exitCode, stdout, stderr) = await ChildProcessRunner.RunAsync(process, Timeout, "codex");
            return new CodexRun(exitCode, stdout, stderr);
        }
        catch (TimeoutException timedOut)
        {
            Assert.Fail(timedOut.Message);
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a lingering child process; a temp folder left behind is harmless.
        }
    }

    /// <summary>
    /// The built-in OpenAI provider at the gateway (<c>--strict-config</c> makes Codex refuse a key it does not know,
    /// so a renamed setting fails the run instead of being ignored).
    /// </summary>
    private static string Config(Uri gateway) => $"""
        openai_base_url = "{new Uri(gateway, "/v1")}"
        check_for_update_on_startup = false

        [analytics]
        enabled = false

        [feedback]
        enabled = false
        """;

    private void ConfigureEnvironment(IDictionary<string, string?> environment)
    {
        // Nothing from the developer's own Codex or OpenAI setup may leak into the run.
        foreach (var name in environment.Keys.Where(IsInherited).ToList())
        {
            environment.Remove(name);
        }

        var closed = "http://127.0.0.1:" + ClosedPort().ToString(CultureInfo.InvariantCulture);
        environment["HOME"] = HomeDirectory;
        environment["CODEX_HOME"] = CodexHome;
        environment["XDG_CONFIG_HOME"] = Path.Combine(HomeDirectory, ".config");
        environment["TMPDIR"] = TempDirectory;
        environment["CODEX_API_KEY"] = ClientKey;
        environment["HTTPS_PROXY"] = closed;
        environment["HTTP_PROXY"] = closed;
        environment["ALL_PROXY"] = closed;
        environment["NO_PROXY"] = "127.0.0.1,localhost";
        environment["NO_COLOR"] = "1";
    }

    /// <summary>A loopback port nothing listens on: anything sent through a proxy there fails at once.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static bool IsInherited(string name) =>
        name.StartsWith("OPENAI_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("CODEX", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("_PROXY", StringComparison.OrdinalIgnoreCase);

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

/// <summary>How one <c>codex</c> run ended.</summary>
internal sealed record CodexRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => new StringBuilder()
        .Append("exit code ").Append(ExitCode)
        .Append("\nstdout:\n").Append(Stdout)
        .Append("\nstderr:\n").Append(Stderr)
        .ToString();
}
