using Spillway.Core.Configuration;
using Spillway.Core.Secrets;
using Spillway.Hosting;

namespace Spillway.Cli;

/// <summary>How the commands other than <c>serve</c> report what went wrong: one line on stderr, never a stack trace.</summary>
internal static class CommandErrors
{
    /// <summary>
    /// Runs a subcommand that reads or writes the data folder, the shared records or a running gateway; a vault,
    /// config, database or file problem is one line on stderr and exit code 1.
    /// </summary>
    public static async Task<int> GuardAsync(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (e is KeyVaultException or ConfigException or InvalidOperationException or IOException or UnauthorizedAccessException || RecordStores.IsUnreachable(e))
        {
            // These messages name files, hosts, ids and variables; none carries a key (KeyVaultException promises
            // it) or a password (connection strings are never part of a message).
            await Console.Error.WriteLineAsync("spillway: " + e.Message.ReplaceLineEndings(" "));
            return 1;
        }
    }
}
