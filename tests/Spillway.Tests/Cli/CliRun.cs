using Spillway.Cli;

namespace Spillway.Tests.Cli;

/// <summary>Runs the <c>spillway</c> command line in-process with its console output captured (tests in <see cref="ConsoleCollection"/>).</summary>
internal static class CliRun
{
    public static Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args) => RunWithInputAsync(string.Empty, args);

    /// <summary>As <see cref="RunAsync"/>, with <paramref name="stdin"/> as the redirected standard input.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunWithInputAsync(string stdin, params string[] args)
    {
        var (originalIn, originalOut, originalError) = (Console.In, Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetIn(new StringReader(stdin));
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var exit = await SpillwayCli.RunAsync(args, TimeProvider.System);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetIn(originalIn);
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
    }
}
