using System.Diagnostics;

namespace Spillway.Tests.Support;

/// <summary>
/// Runs <c>tests/node/sdk-checks.mjs</c> (the official OpenAI and Anthropic JavaScript clients) with <c>node</c>.
/// Its packages come from <c>npm ci --prefix tests/node</c>; when they are missing the run fails and says so.
/// </summary>
internal static class NodeChecks
{
    public const string InstallCommand = "npm ci --prefix tests/node";

    private static readonly Lazy<string> Folder = new(Locate);

    public static string Directory => Folder.Value;

    /// <summary>Throws, naming the command to run, when node or the client packages are not installed.</summary>
    public static void EnsureInstalled()
    {
        foreach (var package in new[] { "openai", "@anthropic-ai/sdk" })
        {
            var manifest = Path.Combine(Directory, "node_modules", package, "package.json");
            if (!File.Exists(manifest))
            {
                throw new InvalidOperationException(
                    $"The Node client packages are not installed ({manifest} is missing): run `{InstallCommand}` from the repository root once.");
            }
        }
    }

    /// <summary>Runs the script against <paramref name="gateway"/>; its exit code, stdout and stderr.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(Uri gateway, string model, string expectedText, TimeSpan timeout) =>
        RunScriptAsync("sdk-checks.mjs", [gateway.ToString(), model, expectedText], timeout);

    /// <summary>Runs another script of <c>tests/node</c> (e.g. <c>embeddings-checks.mjs</c>) with <paramref name="arguments"/>.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunScriptAsync(string script, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(Directory, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException("`node` (20 or later) is needed on the PATH to run the JavaScript client checks: " + error.Message, error);
        }

        using (process)
        {
            return await ChildProcessRunner.RunAsync(process, timeout, script);
        }
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "node");
            if (File.Exists(Path.Combine(candidate, "sdk-checks.mjs")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/node/sdk-checks.mjs was not found above " + AppContext.BaseDirectory + ".");
    }
}
