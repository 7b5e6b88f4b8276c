using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Yaml;
using Spillway.Hosting;
using Spillway.Storage.Redis;

namespace Spillway.Cli;

/// <summary>
/// <c>spillway clients add|list|remove</c>: virtual keys for the clients of a gateway exposed beyond localhost. A new
/// key is printed once and stored only as its SHA-256 in the data folder's database (or in the shared PostgreSQL);
/// <c>spillway serve</c> over the same records admits it within seconds, running or not, next to the clients of the
/// config. With a shared Redis, the running instances are told at once.
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
        var records = new RecordsOptions();
        var add = new Command("add", "Make a new client key (printed once, stored hashed).") { id, allowPaid, day, month, rpm, models, dataPolicy };
        records.AddTo(add);
        add.SetAction((result, cancellationToken) => CommandErrors.GuardAsync(async () =>
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
            return await AddAsync(client, records.Of(result), time, Console.Out, Console.Error, cancellationToken);
        }));
        return add;
    }

    /// <summary>Stores <paramref name="client"/> under a new key and prints the key: the only time it is shown.</summary>
    internal static async Task<int> AddAsync(
        ClientKeyConfig client, RecordsPlace place, TimeProvider time, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var records = await RecordStores.OpenAsync(place.Storage, place.DataDirectory, cancellationToken);
        await output.WriteLineAsync(records.Line);
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
        if (!await records.Clients.AddAsync(client with { KeyHash = ClientKeyHash.Of(key) }, time.GetUtcNow(), cancellationToken))
        {
            await error.WriteLineAsync($"spillway: a client '{client.Id}' is stored already in {records.Place}; remove it first.");
            return 2;
        }

        await output.WriteLineAsync($"Added client '{client.Id}'. Its key, shown only now (only its SHA-256 is kept):");
        await output.WriteLineAsync(key);
        await output.WriteLineAsync("Clients send it as 'Authorization: Bearer KEY' or 'x-api-key: KEY'. A running 'spillway serve' over the same records admits it within seconds.");
        await StoredChangeNotice.TellAsync(place.Storage, StoredChange.Clients, output);
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
        var records = new RecordsOptions();
        var json = new Option<bool>("--json") { Description = "Print JSON (the data folder line goes to stderr)." };
        var list = new Command("list", "List the stored clients (never their keys).") { json };
        records.AddTo(list);
        list.SetAction((result, cancellationToken) => CommandErrors.GuardAsync(() =>
            ListAsync(records.Of(result), result.GetValue(json), Console.Out, Console.Error, cancellationToken)));
        return list;
    }

    /// <summary>The stored clients as a table, or with <paramref name="json"/> as JSON (the folder line then on <paramref name="error"/>).</summary>
    internal static async Task<int> ListAsync(RecordsPlace place, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var records = await RecordStores.OpenAsync(place.Storage, place.DataDirectory, cancellationToken);
        await (json ? error : output).WriteLineAsync(records.Line);
        var clients = await records.ListClientsAsync(cancellationToken);
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
        var records = new RecordsOptions();
        var remove = new Command("remove", "Remove a stored client; a running serve refuses its key within seconds.") { id };
        records.AddTo(remove);
        remove.SetAction((result, cancellationToken) => CommandErrors.GuardAsync(() =>
            RemoveAsync(result.GetValue(id)!, records.Of(result), Console.Out, Console.Error, cancellationToken)));
        return remove;
    }

    /// <summary>Removes a stored client (its key is refused from then on) and tells the instances on a shared Redis.</summary>
    internal static async Task<int> RemoveAsync(string id, RecordsPlace place, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var records = await RecordStores.OpenAsync(place.Storage, place.DataDirectory, cancellationToken);
        await output.WriteLineAsync(records.Line);
        if (!await records.Clients.RemoveAsync(id, cancellationToken))
        {
            await error.WriteLineAsync($"spillway: no stored client '{id}' in {records.Place}.");
            return 1;
        }

        await output.WriteLineAsync($"Removed client '{id}'.");
        await StoredChangeNotice.TellAsync(place.Storage, StoredChange.Clients, output);
        return 0;
    }

    private static string Usd(decimal? amount) => amount is { } usd ? "$" + usd.ToString("0.00##", CultureInfo.InvariantCulture) : "-";
}
