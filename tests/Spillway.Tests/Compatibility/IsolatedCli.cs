using System.Diagnostics;
using System.Text;
using Spillway.Tests.Support;

namespace Spillway.Tests.Compatibility;

/// <summary>
/// A client CLI pinned under <c>tests/&lt;package&gt;/node_modules</c>, run as a user runs it but inside one throwaway
/// folder: its own <c>HOME</c>, config and temp folders and a project folder to work in, nothing inherited that could
/// point it elsewhere, and every proxy variable aimed at a closed loopback port so nothing that is not loopback can
/// leave the machine. Each CLI's runner adds its own variables and settings.
/// </summary>
internal sealed class IsolatedCli : IDisposable
{
    private readonly string _root;

    public IsolatedCli(string name)
    {
        _root = Path.Combine(Path.GetTempPath(), $"spillway-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(HomeDirectory);
        Directory.CreateDirectory(TempDirectory);
        Directory.CreateDirectory(WorkingDirectory);
    }

    /// <summary>The folder the CLI runs in: its project, where a test puts files for its tools.</summary>
    public string WorkingDirectory => Path.Combine(_root, "project");

    public string HomeDirectory => Path.Combine(_root, "home");

    public string TempDirectory => Path.Combine(_root, "tmp");

    /// <summary>
    /// <c>tests/<paramref name="package"/>/node_modules/.bin/<paramref name="bin"/></c>; fails the test, naming the
    /// install command, when it is not installed.
    /// </summary>
    public static string Executable(string package, string bin, string displayName)
    {
        var root = RepositoryRoot();
        var executable = Path.Combine(root, "tests", package, "node_modules", ".bin", bin);
        Assert.True(
            File.Exists(executable),
            $"{displayName} is not installed: {executable} is missing. Run `{InstallCommand(package)}` in {root}.");
        return executable;
    }

    public static string InstallCommand(string package) => $"npm ci --prefix tests/{package}";

    /// <summary>
    /// Runs <paramref name="executable"/> with <paramref name="arguments"/> and an empty stdin, and waits for it to exit
    /// (failing the test after <paramref name="timeout"/>). Variables <paramref name="inherited"/> names are removed;
    /// <paramref name="variables"/> are set last.
    /// </summary>
    public async Task<CliRun> RunAsync(
        string executable,
        IEnumerable<string> arguments,
        Func<string, bool> inherited,
        IReadOnlyDictionary<string, string> variables,
        TimeSpan timeout)
    {
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

        var environment = start.Environment;
        foreach (var variable in environment.Keys.Where(n => inherited(n) || n.EndsWith("_PROXY", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            environment.Remove(variable);
        }

        var closed = LoopbackPorts.ClosedUrl();
        environment["HOME"] = HomeDirectory;
        environment["XDG_CONFIG_HOME"] = Path.Combine(HomeDirectory, ".config");
        environment["TMPDIR"] = TempDirectory;
        environment["HTTPS_PROXY"] = closed;
        environment["HTTP_PROXY"] = closed;
        environment["ALL_PROXY"] = closed;
        environment["NO_PROXY"] = "127.0.0.1,localhost";
        environment["NO_COLOR"] = "1";
        foreach (var (variable, value) in variables)
        {
            environment[variable] = value;
        }

        var name = Path.GetFileName(executable);
        using var process = Process.Start(start) ?? throw new InvalidOperationException(name + " did not start.");
        process.StandardInput.Close();
        try
        {
            var (exitCode, stdout, stderr) = await ChildProcessRunner.RunAsync(process, timeout, name);
            return new CliRun(exitCode, stdout, stderr);
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

/// <summary>How one CLI run ended.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => new StringBuilder()
        .Append("exit code ").Append(ExitCode)
        .Append("\nstdout:\n").Append(Stdout)
        .Append("\nstderr:\n").Append(Stderr)
        .ToString();
}
