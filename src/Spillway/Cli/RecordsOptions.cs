using System.CommandLine;
using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;

namespace Spillway.Cli;

/// <summary>
/// The options of the commands that read or write the records (<c>keys</c>, <c>clients</c>, <c>usage</c>):
/// <c>--data DIR</c>, and <c>--config FILE</c>, of which only the <c>storage:</c> section is read. Without
/// <c>--config</c>, <c>SPILLWAY_POSTGRES</c> and <c>SPILLWAY_REDIS</c> say where shared records are, as for <c>serve</c>.
/// </summary>
internal sealed class RecordsOptions
{
    public Option<string> Data { get; } = DataFolder.Option();

    public Option<FileInfo?> Config { get; } = new("--config")
    {
        Description = "The config file 'spillway serve' runs: its storage: section says where shared records are (default: $SPILLWAY_POSTGRES, $SPILLWAY_REDIS).",
    };

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        command.Options.Add(Config);
    }

    /// <summary>Where the command's records are.</summary>
    /// <exception cref="ConfigException">The config file cannot be read, or its storage section or the variables are invalid.</exception>
    public RecordsPlace Of(ParseResult result)
    {
        var environment = ServeCommand.ReadEnvironment();
        var storage = result.GetValue(Config) is { } file
            ? ConfigLoader.StorageFromFile(file.FullName, environment)
            : ConfigLoader.StorageFromEnvironment(environment);
        return new RecordsPlace(result.GetValue(Data)!, storage);
    }
}

/// <summary>The data folder and the shared stores a record command works with.</summary>
internal sealed record RecordsPlace(string DataDirectory, StorageConfig Storage);
