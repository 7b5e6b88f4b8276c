using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Spillway.Tests.Support;

namespace Spillway.Tests.Compatibility;

/// <summary>
/// Runs the pinned Gemini CLI from <c>tests/gemini-cli/node_modules</c> (installed by
/// <c>npm ci --prefix tests/gemini-cli</c>) against a gateway, as a user would: <c>GOOGLE_GEMINI_BASE_URL</c>
/// pointing at it, <c>GEMINI_API_KEY</c> as the client key, an isolated <c>HOME</c> whose
/// <c>~/.gemini/settings.json</c> picks the API-key sign-in (so no auth dialog) and turns off telemetry, usage
/// statistics, the update check and IDE integration, and proxies pointing at a closed loopback port so nothing that
/// is not loopback can leave the machine.
/// </summary>
internal sealed class GeminiCli : IDisposable
{
    public const string InstallCommand = "npm ci --prefix tests/gemini-cli";

    /// <summary>What the runs send as <c>GEMINI_API_KEY</c>; the test gateway has no client keys, so any string passes.</summary>
    public const string ClientKey = "gemini-cli-client-key-for-the-gateway";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>
    /// 0.61 reads <c>security.auth.selectedType</c>; with <c>GOOGLE_GEMINI_BASE_URL</c> alone it would pick its
    /// "gateway" sign-in, which its non-interactive check refuses ("Invalid auth method selected.").
    /// </summary>
    private const string Settings = """
        {
          "security": { "auth": { "selectedType": "gemini-api-key" } },
          "general": { "enableAutoUpdate": false, "enableAutoUpdateNotification": false },
          "privacy": { "usageStatisticsEnabled": false },
          "telemetry": { "enabled": false },
          "ide": { "enabled": false }
        }
        """;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "spillway-gemini-cli-" + Guid.NewGuid().ToString("N"));

    /// <param name="coreTools">
    /// The built-in tools offered to the model (<c>tools.core</c>), e.g. none, as Claude Code's <c>--tools ""</c>;
    /// null for the CLI's defaults.
    /// </param>
    public GeminiCli(IReadOnlyList<string>? coreTools = null)
    {
        Directory.CreateDirectory(Path.Combine(HomeDirectory, ".gemini"));
        Directory.CreateDirectory(TempDirectory);
        Directory.CreateDirectory(WorkingDirectory);
        var settings = JsonNode.Parse(Settings)!.AsObject();
        if (coreTools is not null)
        {
            settings["tools"] = new JsonObject { ["core"] = new JsonArray([.. coreTools.Select(tool => JsonValue.Create(tool))]) };
        }

        File.WriteAllText(Path.Combine(HomeDirectory, ".gemini", "settings.json"), settings.ToJsonString());
    }

    /// <summary>The folder the CLI runs in: its workspace, where a test puts files for its tools.</summary>
    public string WorkingDirectory => Path.Combine(_root, "project");

    private string HomeDirectory => Path.Combine(_root, "home");

    private string TempDirectory => Path.Combine(_root, "tmp");

    /// <summary>The CLI's executable; fails the test, naming the install command, when it is not installed.</summary>
    public static string Executable()
    {
        var root = RepositoryRoot();
        var executable = Path.Combine(root, "tests", "gemini-cli", "node_modules", ".bin", "gemini");
        Assert.True(
            File.Exists(executable),
            $"Gemini CLI is not installed: {executable} is missing. Run `{InstallCommand}` in {root}.");
        return executable;
    }

    /// <summary>
    /// Runs <c>gemini</c> with <paramref name="arguments"/> against the gateway at <paramref name="gateway"/> and waits
    /// for it to exit. <c>--skip-trust</c> is always passed: a headless run in an untrusted folder stops (exit 55).
    /// </summary>
    public async Task<GeminiCliRun> RunAsync(Uri gateway, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable())
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments.Append("--skip-trust"))
        {
            start.ArgumentList.Add(argument);
        }

        ConfigureEnvironment(start.Environment, gateway);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("gemini did not start.");
        process.StandardInput.Close();
        try
        {
            var (exitCode, stdout, stderr) = await ChildProcessRunner.RunAsync(process, Timeout, "gemini");
            return new GeminiCliRun(exitCode, stdout, stderr);
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
        // Nothing from the developer's own Gemini or Google setup may leak into the run.
        foreach (var name in environment.Keys.Where(IsInherited).ToList())
        {
            environment.Remove(name);
        }

        environment["HOME"] = HomeDirectory;
        environment["XDG_CONFIG_HOME"] = Path.Combine(HomeDirectory, ".config");
        environment["TMPDIR"] = TempDirectory;
        environment["GOOGLE_GEMINI_BASE_URL"] = gateway.GetLeftPart(UriPartial.Authority);
        environment["GEMINI_API_KEY"] = ClientKey;

        // Anything that is not loopback goes to a port nothing listens on (the discard port) and fails at once.
        environment["HTTPS_PROXY"] = "http://127.0.0.1:9";
        environment["HTTP_PROXY"] = "http://127.0.0.1:9";
        environment["NO_PROXY"] = "127.0.0.1,localhost";
        environment["NO_COLOR"] = "1";
    }

    private static bool IsInherited(string name) =>
        name.StartsWith("GEMINI", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("GOOGLE", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("CLOUD_SHELL", StringComparison.OrdinalIgnoreCase)
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

/// <summary>How one <c>gemini</c> run ended.</summary>
internal sealed record GeminiCliRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => new StringBuilder()
        .Append("exit code ").Append(ExitCode)
        .Append("\nstdout:\n").Append(Stdout)
        .Append("\nstderr:\n").Append(Stderr)
        .ToString();
}
