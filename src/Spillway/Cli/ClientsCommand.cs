using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Yaml;
using Spillway.Storage.Sqlite;

namespace Spillway.Cli;

/// <summary>
/// <c>spillway clients add|list|remove</c>: virtual keys for the clients of a gateway exposed beyond localhost. A new
/// key is printed once and stored only as its SHA-256 in the data folder's database; <c>spillway serve</c> with the
/// same <c>--data</c> admits it within seconds, running or not, next to the clients of the config.
/// </summary>
internal static class ClientsCommand
{
    public static Command Create(TimeProvider time)
    {
        var clients = new Command("clients", "Add, list and remove the virtual keys clients call Spillway with.");
        clients.Subcommands.Add(Add(time));
        clients.Subcommands.Add(List());
        clients.Subcommands.Add(Remove());
        return clients;
    }

    private static Option<string> DataOption() => DataFolder.Option();

    private static Command Add(TimeProvider time)
    {
        var id = new Option<string>("--id") { Description = "The client's name, shown in the ledger.", Required = true };
        var allowPaid = new Option<bool>("--allow-paid")
        {
            Description = "Whether the client may spill over to paid keys (false: free tiers only).",
            DefaultValueFactory = _ => true,
        };
        var day = new Option<decimal?>("--budget-day") { Description = "The most USD the client may spend per UTC day." }.Dollars();
        var month = new Option<decimal?>("--budget-month") { Description = "The most USD the client may spend per UTC month." }.Dollars();
        var rpm = new Option<int?>("--rpm") { Description = "The most requests per minute." }.WholeNumberOf("requests per minute");
        var models = new Option<string[]>("--models")
        {
            Description = "The aliases and routes the client may use (default: all).",
            AllowMultipleArgumentsPerToken = true,
        };
        var dataPolicy = new Option<string>("--data-policy") { Description = "no-train: never route to providers that may train on prompts." };
        dataPolicy.AcceptOnlyFromAmong("no-train", "any");
        var data = DataOption();
        var add = new Command("add", "Make a new client key (printed once, stored hashed).") { id, allowPaid, day, month, rpm, models, dataPolicy, data };
        add.SetAction(async (result, cancellationToken) =>
        {
            var client = new ClientKeyConfig(result.GetValue(id)!, string.Empty)
            {
                AllowPaid = result.GetValue(allowPaid),
                BudgetUsdPerDay = result.GetValue(day),
                BudgetUsdPerMonth = result.GetValue(month),
                RequestsPerMinute = result.GetValue(rpm),
                AllowedModels = [.. (result.GetValue(models) ?? []).SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                NoTrain = result.GetValue(dataPolicy) == "no-train",
            };
            return await AddAsync(client, result.GetValue(data)!, time, Console.Out, Console.Error, cancellationToken);
        });
        return add;
    }

    /// <summary>Stores <paramref name="client"/> under a new key and prints the key: the only time it is shown.</summary>
    internal static async Task<int> AddAsync(
        ClientKeyConfig client, string dataDirectory, TimeProvider time, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync(DataFolder.Line(dataDirectory));
        if (!ConfigNames.IsId(client.Id))
        {
            await error.WriteLineAsync($"spillway: --id '{client.Id}' is not a usable id (letters, digits, '-', '_', '.').");
            return 2;
        }

        if (Invalid(client) is { } problem)
        {
            await error.WriteLineAsync("spillway: " + problem);
            return 2;
        }

        var key = ClientKeyHash.NewKey();
        var store = new SqliteClientStore(dataDirectory);
        if (!await store.AddAsync(client with { KeyHash = ClientKeyHash.Of(key) }, time.GetUtcNow(), cancellationToken))
        {
            await error.WriteLineAsync($"spillway: a client '{client.Id}' is stored already in {store.DatabasePath}; remove it first.");
            return 2;
        }

        await output.WriteLineAsync($"Added client '{client.Id}'. Its key, shown only now (only its SHA-256 is kept):");
        await output.WriteLineAsync(key);
        await output.WriteLineAsync("Clients send it as 'Authorization: Bearer KEY' or 'x-api-key: KEY'. A running 'spillway serve' with the same --data admits it within seconds.");
        return 0;
    }

    private static string? Invalid(ClientKeyConfig client) => client switch
    {
        { BudgetUsdPerDay: < 0 } => "--budget-day must be 0 or more.",
        { BudgetUsdPerMonth: < 0 } => "--budget-month must be 0 or more.",
        { RequestsPerMinute: < 1 } => "--rpm must be 1 or more.",
        _ => null,
    };

    private static Command List()
    {
        var data = DataOption();
        var json = new Option<bool>("--json") { Description = "Print JSON (the data folder line goes to stderr)." };
        var list = new Command("list", "List the stored clients (never their keys).") { data, json };
        list.SetAction(async (result, cancellationToken) =>
            await ListAsync(result.GetValue(data)!, result.GetValue(json), Console.Out, Console.Error, cancellationToken));
        return list;
    }

    /// <summary>The stored clients as a table, or with <paramref name="json"/> as JSON (the folder line then on <paramref name="error"/>).</summary>
    internal static async Task<int> ListAsync(string dataDirectory, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await (json ? error : output).WriteLineAsync(DataFolder.Line(dataDirectory));
        var clients = await SqliteClientStore.ListIfAnyAsync(dataDirectory, cancellationToken);
        if (json)
        {
            IReadOnlyList<StoredClientJson> rows =
            [
                .. clients.Select(c => new StoredClientJson(
                    c.Client.Id,
                    c.Client.AllowPaid,
                    c.Client.NoTrain ? "no-train" : "any",
                    c.Client.RequestsPerMinute,
                    c.Client.AllowedModels.IsDefault ? [] : c.Client.AllowedModels,
                    new BudgetJson(c.Client.BudgetUsdPerDay, c.Client.BudgetUsdPerMonth),
                    c.Created)),
            ];
            await CliJson.WriteAsync(output, rows, CliJsonContext.Default.IReadOnlyListStoredClientJson);
            return 0;
        }

        var console = CliConsole.For(output);
        if (clients.Count == 0)
        {
            console.WriteLine("No stored clients. Add one with: spillway clients add --id NAME");
            return 0;
        }

        var table = new Table().AddColumns("client", "paid", "budget/day", "budget/month", "rpm", "models", "data policy", "added");
        foreach (var (client, created) in clients)
        {
            table.AddRow(
                Markup.Escape(client.Id),
                client.AllowPaid ? "yes" : "free only",
                Usd(client.BudgetUsdPerDay),
                Usd(client.BudgetUsdPerMonth),
                client.RequestsPerMinute?.ToString(CultureInfo.InvariantCulture) ?? "-",
                Markup.Escape(client.AllowedModels.IsDefaultOrEmpty ? "all" : string.Join(", ", client.AllowedModels)),
                client.NoTrain ? "no-train" : "any",
                created.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        }

        console.Write(table);
        return 0;
    }

    private static Command Remove()
    {
        var id = new Argument<string>("id") { Description = "The client to remove." };
        var data = DataOption();
        var remove = new Command("remove", "Remove a stored client; a running serve refuses its key within seconds.") { id, data };
        remove.SetAction(async (result, cancellationToken) =>
        {
            await Console.Out.WriteLineAsync(DataFolder.Line(result.GetValue(data)!));
            var store = new SqliteClientStore(result.GetValue(data)!);
            if (!await store.RemoveAsync(result.GetValue(id)!, cancellationToken))
            {
                await Console.Error.WriteLineAsync($"spillway: no stored client '{result.GetValue(id)}'.");
                return 1;
            }

            await Console.Out.WriteLineAsync($"Removed client '{result.GetValue(id)}'.");
            return 0;
        });
        return remove;
    }

    private static string Usd(decimal? amount) => amount is { } usd ? "$" + usd.ToString("0.00##", CultureInfo.InvariantCulture) : "-";
}
