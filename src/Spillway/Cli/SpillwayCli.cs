using System.CommandLine;

namespace Spillway.Cli;

/// <summary>The <c>spillway</c> command line: one subcommand per job.</summary>
internal static class SpillwayCli
{
    /// <param name="time">The clock of everything the commands run (Program.cs passes the real one).</param>
    /// <param name="cancellationToken">Stops a running command (<c>serve</c>) as Ctrl+C would.</param>
    public static async Task<int> RunAsync(string[] args, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Spillway: one OpenAI-compatible endpoint over your own LLM provider keys, free tiers first.");
        root.Subcommands.Add(ServeCommand.Create(time));
        root.Subcommands.Add(UsageCommand.Create(time));
        root.Subcommands.Add(ModelsCommand.Create(time));
        root.Subcommands.Add(KeysCommand.Create(time));
        root.Subcommands.Add(ClientsCommand.Create(time));
        root.Subcommands.Add(RoutesCommand.Create());
        root.Subcommands.Add(ConfigCommand.Create(time));
        return await root.Parse(args).InvokeAsync(cancellationToken: cancellationToken);
    }
}
