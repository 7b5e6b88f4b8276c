using System.CommandLine;

namespace Spillway.Cli;

/// <summary>The <c>spillway</c> command line: one subcommand per job.</summary>
internal static class SpillwayCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Spillway: one OpenAI-compatible endpoint over your own LLM provider keys, free tiers first.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(UsageCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(KeysCommand.Create());
        root.Subcommands.Add(ClientsCommand.Create());
        return await root.Parse(args).InvokeAsync();
    }
}
