using System.Diagnostics;
using System.Text;
using Spillway.Tests.Support;

namespace Spillway.Tests.Compatibility;

/// <summary>
/// Runs the pinned Claude Code CLI from <c>tests/claude-code/node_modules</c> (installed by
/// <c>npm ci --prefix tests/claude-code</c>) against a gateway, as a user would: <c>ANTHROPIC_BASE_URL</c> pointing
/// at it, an isolated <c>HOME</c> and temp folder, and everything that would leave loopback turned off.
/// </summary>
internal sealed class ClaudeCodeCli : IDisposable
{
    public const string InstallCommand = "npm ci --prefix tests/claude-code";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "spillway-claude-code-" + Guid.NewGuid().ToString("N"));

    public ClaudeCodeCli()
    {
        Directory.CreateDirectory(HomeDirectory);
        Directory.CreateDirectory(TempDirectory);
        Directory.CreateDirectory(WorkingDirectory);
    }

    /// <summary>The folder Claude Code runs in: its project, where a test puts files for its tools.</summary>
    public string WorkingDirectory => Path.Combine(_root, "project");

    private string HomeDirectory => Path.Combine(_root, "home");

    private string TempDirectory => Path.Combine(_root, "tmp");

    /// <summary>The CLI's executable; fails the test, naming the install command, when it is not installed.</summary>
    public static string Executable()
    {
        var root = RepositoryRoot();
        var executable = Path.Combine(root, "tests", "claude-code", "node_modules", ".bin", "claude");
        Assert.True(
            File.Exists(executable),
            $"Claude Code is not installed: {executable} is missing. Run `{InstallCommand}` in {root}.");
        return executable;
    }

    /// <summary>Runs <c>claude</c> with <paramref name="arguments"/> against the gateway at <paramref name="gateway"/> and waits for it to exit.</summary>
    public async Task<ClaudeCodeRun> RunAsync(Uri gateway, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable())
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

        ConfigureEnvironment(start.Environment, gateway);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("claude did not start.");
        process.StandardInput.Close();
        try
        {
            var (exitCode, stdout, stderr) = await ChildProcessRunner.RunAsync(process, Timeout, "claude");
            return new ClaudeCodeRun(exitCode, stdout, stderr);
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

    private void ConfigureEnvironment(IDictionary<string, string?> environment, Uri gateway)
    {
        // Nothing from the developer's own Claude Code or Anthropic setup may leak into the run.
        foreach (var name in environment.Keys.Where(IsInherited).ToList())
        {
            environment.Remove(name);
        }

        environment["HOME"] = HomeDirectory;
        environment["XDG_CONFIG_HOME"] = Path.Combine(HomeDirectory, ".config");
        environment["CLAUDE_CODE_TMPDIR"] = TempDirectory;
        environment["TMPDIR"] = TempDirectory;
        environment["ANTHROPIC_BASE_URL"] = gateway.GetLeftPart(UriPartial.Authority);
        environment["ANTHROPIC_API_KEY"] = "sk-ant-client-key-for-the-gateway";
        environment["DISABLE_TELEMETRY"] = "1";
        environment["DISABLE_AUTOUPDATER"] = "1";
        environment["DISABLE_ERROR_REPORTING"] = "1";
        environment["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1";
        environment["NO_PROXY"] = "127.0.0.1,localhost";
        environment["NO_COLOR"] = "1";
    }

    private static bool IsInherited(string name) =>
        name.StartsWith("ANTHROPIC_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("CLAUDE", StringComparison.OrdinalIgnoreCase)
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

/// <summary>How one <c>claude</c> run ended.</summary>
internal sealed record ClaudeCodeRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => new StringBuilder()
        .Append("exit code ").Append(ExitCode)
        .Append("\nstdout:\n").Append(Stdout)
        .Append("\nstderr:\n").Append(Stderr)
        .ToString();
}
