using System.Diagnostics;

namespace Spillway.Tests.Support;

/// <summary>The <c>dotnet</c> command line from a test, as a user runs it: its own build, not the tests' build's.</summary>
internal static class DotnetCli
{
    /// <summary><c>dotnet ARGS</c> (the SDK running these tests when known), output redirected, in <paramref name="workingDirectory"/>.</summary>
    public static ProcessStartInfo Command(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

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

    /// <summary>Runs <c>dotnet ARGS</c> to its end; a failure or an overrun fails the test with the command's output.</summary>
    public static async Task RunAsync(string workingDirectory, TimeSpan limit, params string[] arguments)
    {
        var name = "dotnet " + arguments[0];
        using var process = Process.Start(Command(workingDirectory, arguments)) ?? throw new InvalidOperationException(name + " did not start.");
        (int ExitCode, string Stdout, string Stderr) result;
        try
        {
            result = await ChildProcessRunner.RunAsync(process, limit, name);
        }
        catch (TimeoutException timedOut)
        {
            Assert.Fail(timedOut.Message);
            throw;
        }

        Assert.True(result.ExitCode == 0, $"{name} exited with {result.ExitCode}:\n{result.Stdout}\n{result.Stderr}");
    }

    /// <summary>The folder of <c>Spillway.slnx</c> above the test assembly.</summary>
    public static string RepositoryRoot()
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
