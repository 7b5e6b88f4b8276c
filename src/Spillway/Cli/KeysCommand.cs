using System.CommandLine;
using Spectre.Console;
using Spillway.Core.Configuration;
using Spillway.Core.Secrets;
using Spillway.Hosting;
using Spillway.Storage.Redis;

namespace Spillway.Cli;

/// <summary>
/// <c>spillway keys add|list|remove|rotate-master</c>: provider keys sealed at rest in the data folder's database (or
/// in the shared PostgreSQL), under the master key from <c>SPILLWAY_MASTER_KEY</c> or <c>master.key</c>. No
/// subcommand prints a key.
/// </summary>
internal static class KeysCommand
{
    public static Command Create(TimeProvider time)
    {
        var keys = new Command("keys", "Store provider keys encrypted in the data folder, list, remove them, or rotate the master key.");
        keys.Subcommands.Add(KeysAddCommand.Create(time));
        keys.Subcommands.Add(CreateList(time));
        keys.Subcommands.Add(CreateRemove(time));
        keys.Subcommands.Add(CreateRotateMaster(time));
        keys.Subcommands.Add(KeysResetCommand.Create(time));
        return keys;
    }

    private static Command CreateList(TimeProvider time)
    {
        var records = new RecordsOptions();
        var json = new Option<bool>("--json") { Description = "Print JSON (the data folder line goes to stderr)." };
        var list = new Command("list", "List the stored keys: id, provider, tier, last four characters, limits, when added. Never the keys.") { json };
        records.AddTo(list);
        list.SetAction((result, cancellationToken) => CommandErrors.GuardAsync(() => ListAsync(records.Of(result), result.GetValue(json), time, cancellationToken)));
        return list;
    }

    private static async Task<int> ListAsync(RecordsPlace place, bool json, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var records = await RecordStores.OpenAsync(place.Storage, place.DataDirectory, cancellationToken);
        await (json ? Console.Error : Console.Out).WriteLineAsync(records.Line);
        var keys = await new KeyVault(records.KeyVault, time).ListAsync(cancellationToken);
        if (json)
        {
            await CliJson.WriteAsync(Console.Out, KeysTable.Json(keys), CliJsonContext.Default.IReadOnlyListStoredKeyJson);
            return 0;
        }

        if (keys.Count == 0)
        {
            await Console.Out.WriteLineAsync($"No stored keys in {records.Place}. Add one with: spillway keys add --provider ID --id KEYID");
            return 0;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected)
        {
            // Piped or captured output has no terminal width; keep each key on one line.
            console.Profile.Width = 200;
        }

        console.Write(KeysTable.Of(keys));
        await Console.Out.WriteLineAsync($"{keys.Count} stored {(keys.Count == 1 ? "key" : "keys")} in {records.Place}.");
        return 0;
    }

    private static Command CreateRemove(TimeProvider time)
    {
        var records = new RecordsOptions();
        var id = new Argument<string>("KEYID") { Description = "The id of the stored key to remove." };
        var remove = new Command("remove", "Remove a stored key (its bytes are overwritten in the database file).") { id };
        records.AddTo(remove);
        remove.SetAction((result, cancellationToken) => CommandErrors.GuardAsync(async () =>
        {
            var place = records.Of(result);
            await using var stores = await RecordStores.OpenAsync(place.Storage, place.DataDirectory, cancellationToken);
            await Console.Out.WriteLineAsync(stores.Line);
            var keyId = result.GetValue(id)!;
            if (!await new KeyVault(stores.KeyVault, time).RemoveAsync(keyId, cancellationToken))
            {
                await Console.Error.WriteLineAsync($"spillway: no stored key '{keyId}' in {stores.Place} (spillway keys list shows them).");
                return 1;
            }

            await Console.Out.WriteLineAsync($"Removed stored key '{keyId}'. A running spillway serve keeps using it until restarted.");
            await StoredChangeNotice.TellAsync(place.Storage, StoredChange.Keys, Console.Out);
            return 0;
        }));
        return remove;
    }

    private static Command CreateRotateMaster(TimeProvider time)
    {
        var records = new RecordsOptions();
        var rotate = new Command(
            "rotate-master",
            $"Seal every stored key under a new master key in one transaction. With a key file, a new random key replaces it; with {MasterKeySource.Variable}, the new key is read from {MasterKeySource.NewVariable}.");
        records.AddTo(rotate);
        rotate.SetAction((result, cancellationToken) => CommandErrors.GuardAsync(async () =>
        {
            var place = records.Of(result);
            await using var stores = await RecordStores.OpenAsync(place.Storage, place.DataDirectory, cancellationToken);
            await Console.Out.WriteLineAsync(stores.Line);
            var vault = new KeyVault(stores.KeyVault, time);
            var done = await MasterKeyRotation.RotateAsync(vault, place.DataDirectory, ServeCommand.ReadEnvironment(), cancellationToken);
            var keys = done.Resealed == 1 ? "1 stored key" : $"{done.Resealed} stored keys";
            await Console.Out.WriteLineAsync(done.FromEnvironment
                ? $"Sealed {keys} under the master key in {MasterKeySource.NewVariable} (id {done.NewMasterKeyId}). Now set {MasterKeySource.Variable} to that value and unset {MasterKeySource.NewVariable}: the old master key no longer opens them."
                : $"Sealed {keys} under a new master key (id {done.NewMasterKeyId}) and replaced {done.KeyFile}. The old master key no longer opens them.");
            return 0;
        }));
        return rotate;
    }
}
