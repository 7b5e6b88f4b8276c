using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Spillway.Core.Catalog;
using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;
using Spillway.Storage.Sqlite;

namespace Spillway.Cli;

/// <summary>
/// <c>spillway models [--free] [--config FILE] [--data DIR] [--json]</c>: OpenRouter's model list as a table, read live from
/// the config's <c>catalog.openrouter.base_url</c> (default https://openrouter.ai/api/v1) or, when that fails, the copy
/// the gateway last saved in the database, saying which one and when it was read.
/// </summary>
internal static class ModelsCommand
{
    public static Command Create(TimeProvider time)
    {
        var free = new Option<bool>("--free") { Description = "Only the models free right now." };
        var config = new Option<FileInfo?>("--config") { Description = "The YAML config file whose catalog.openrouter.base_url to read." };
        var data = DataFolder.Option();
        var json = new Option<bool>("--json") { Description = "Print JSON (the data folder line goes to stderr)." };
        var models = new Command("models", "List OpenRouter's models (with --free: the free ones) and what they can take.") { free, config, data, json };
        models.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(free), result.GetValue(config), result.GetValue(data)!, result.GetValue(json), time, cancellationToken));
        return models;
    }

    private static async Task<int> RunAsync(bool freeOnly, FileInfo? configFile, string dataDirectory, bool json, TimeProvider time, CancellationToken cancellationToken)
    {
        await (json ? Console.Error : Console.Out).WriteLineAsync(DataFolder.Line(dataDirectory));
        Uri baseUrl;
        try
        {
            baseUrl = configFile is null
                ? OpenRouterCatalogConfig.DefaultBaseUrl
                : ConfigLoader.LoadFile(configFile.FullName, ServeCommand.ReadEnvironment()).Catalog.OpenRouter?.BaseUrl ?? OpenRouterCatalogConfig.DefaultBaseUrl;
        }
        catch (ConfigException ex)
        {
            await Console.Error.WriteLineAsync("spillway: " + ex.Message);
            return 2;
        }

        var (catalog, origin, liveError) = await ReadAsync(baseUrl, dataDirectory, time, cancellationToken);
        if (catalog is null)
        {
            await Console.Error.WriteLineAsync("spillway: " + origin);
            return 1;
        }

        var shown = freeOnly ? catalog.FreeModels : catalog.Models;
        if (json)
        {
            var document = new ModelsJson(
                liveError is null ? "live" : "cached",
                catalog.BaseUrl,
                catalog.FetchedAt,
                liveError,
                [.. shown.Select(m => new ModelJson(m.Id, m.Name, m.ContextLength, m.Tools, m.Vision, m.Json, m.Free))]);
            await CliJson.WriteAsync(Console.Out, document, CliJsonContext.Default.ModelsJson);
            return 0;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected)
        {
            // Piped or captured output has no terminal width; keep each model on one line.
            console.Profile.Width = 240;
        }

        console.WriteLine(origin);
        var table = new Table().AddColumns("Model", "Context", "Tools", "Vision", "JSON");
        if (!freeOnly)
        {
            table.AddColumn("Free");
        }

        foreach (var model in shown)
        {
            var row = new List<string>
            {
                Markup.Escape(model.Id),
                model.ContextLength?.ToString("N0", CultureInfo.InvariantCulture) ?? "?",
                Flag(model.Tools),
                Flag(model.Vision),
                Flag(model.Json),
            };
            if (!freeOnly)
            {
                row.Add(model.Free ? "free" : string.Empty);
            }

            table.AddRow([.. row]);
        }

        console.Write(table);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{shown.Length} {(freeOnly ? "free " : string.Empty)}models."));
        return 0;
    }

    /// <summary>
    /// The live list, else the saved one; <c>Origin</c> says which and when, or why there is none; <c>LiveError</c>
    /// why the live one could not be read (null when it was).
    /// </summary>
    private static async Task<(ModelCatalog? Catalog, string Origin, string? LiveError)> ReadAsync(Uri baseUrl, string dataDirectory, TimeProvider time, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        string failure;
        try
        {
            var live = await new CatalogFetcher(http, time).FetchAsync(baseUrl, null, cancellationToken);
            return (live, $"Live catalog from {baseUrl}, read {Stamp(live.FetchedAt)}.", null);
        }
        catch (CatalogFetchException ex)
        {
            failure = ex.Message;
        }

        var store = new SqliteCatalogStore(dataDirectory);
        var cached = await store.LoadAsync(CatalogSources.OpenRouter, cancellationToken);
        return cached is null
            ? (null, $"the live catalog could not be read ({failure}) and {store.DatabasePath} holds no saved copy.", failure)
            : (cached, $"Cached catalog from {store.DatabasePath}, read {Stamp(cached.FetchedAt)} from {cached.BaseUrl} (live catalog unavailable: {failure}).", failure);
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Flag(bool? value) => value switch
    {
        true => "yes",
        false => "no",
        null => "?",
    };
}
