using System.Diagnostics;

namespace Spillway.Tests.Support;

/// <summary>Runs a child process to its end within a time limit, capturing its output (the Node and Claude Code checks).</summary>
internal static class ChildProcessRunner
{
    /// <summary>Starts <paramref name="start"/> (its output redirected) and waits for it.</summary>
    /// <exception cref="TimeoutException">It ran past <paramref name="timeout"/>: its process tree was killed; the message holds its output.</exception>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(Process process, TimeSpan timeout, string name)
    {
        ArgumentNullException.ThrowIfNull(process);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{name} did not finish within {timeout.TotalSeconds} s.\nstdout:\n{await stdout}\nstderr:\n{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
