using Spillway.Cli;

namespace Spillway.Tests.Cli;

/// <summary>Runs the <c>spillway</c> command line in-process with its console output captured (tests in <see cref="ConsoleCollection"/>).</summary>
internal static class CliRun
{
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var (originalOut, originalError) = (Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var exit = await SpillwayCli.RunAsync(args);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
    }
}
