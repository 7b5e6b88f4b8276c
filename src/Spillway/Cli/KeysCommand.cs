using System.CommandLine;
using Microsoft.Data.Sqlite;
using Spectre.Console;
using Spillway.Core.Secrets;
using Spillway.Storage.Sqlite;

namespace Spillway.Cli;

/// <summary>
/// <c>spillway keys add|list|remove|rotate-master</c>: provider keys sealed at rest in the data folder's database,
/// under the master key from <c>SPILLWAY_MASTER_KEY</c> or <c>master.key</c>. No subcommand prints a key.
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

    internal static Option<string> DataOption() => DataFolder.Option();

    /// <summary>Runs a subcommand; a vault, database or file problem is one line on stderr and exit code 1.</summary>
    internal static async Task<int> GuardAsync(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (e is KeyVaultException or SqliteException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // These messages name files, ids and variables; none carries a key (KeyVaultException promises it).
            await Console.Error.WriteLineAsync("spillway: " + e.Message.ReplaceLineEndings(" "));
            return 1;
        }
    }

    private static Command CreateList(TimeProvider time)
    {
        var data = DataOption();
        var json = new Option<bool>("--json") { Description = "Print JSON (the data folder line goes to stderr)." };
        var list = new Command("list", "List the stored keys: id, provider, tier, last four characters, limits, when added. Never the keys.") { data, json };
        list.SetAction((result, cancellationToken) => GuardAsync(() => ListAsync(result.GetValue(data)!, result.GetValue(json), time, cancellationToken)));
        return list;
    }

    private static async Task<int> ListAsync(string dataDirectory, bool json, TimeProvider time, CancellationToken cancellationToken)
    {
        await (json ? Console.Error : Console.Out).WriteLineAsync(DataFolder.Line(dataDirectory));
        var store = new SqliteKeyVaultStore(dataDirectory);
        var keys = await new KeyVault(store, time).ListAsync(cancellationToken);
        if (json)
        {
            await CliJson.WriteAsync(Console.Out, KeysTable.Json(keys), CliJsonContext.Default.IReadOnlyListStoredKeyJson);
            return 0;
        }

        if (keys.Count == 0)
        {
            await Console.Out.WriteLineAsync($"No stored keys in {store.DatabasePath}. Add one with: spillway keys add --provider ID --id KEYID");
            return 0;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected)
        {
            // Piped or captured output has no terminal width; keep each key on one line.
            console.Profile.Width = 200;
        }

        console.Write(KeysTable.Of(keys));
        await Console.Out.WriteLineAsync($"{keys.Count} stored {(keys.Count == 1 ? "key" : "keys")} in {store.DatabasePath}.");
        return 0;
    }

    private static Command CreateRemove(TimeProvider time)
    {
        var data = DataOption();
        var id = new Argument<string>("KEYID") { Description = "The id of the stored key to remove." };
        var remove = new Command("remove", "Remove a stored key (its bytes are overwritten in the database file).") { id, data };
        remove.SetAction((result, cancellationToken) => GuardAsync(async () =>
        {
            await Console.Out.WriteLineAsync(DataFolder.Line(result.GetValue(data)!));
            var store = new SqliteKeyVaultStore(result.GetValue(data)!);
            var keyId = result.GetValue(id)!;
            if (!await new KeyVault(store, time).RemoveAsync(keyId, cancellationToken))
            {
                await Console.Error.WriteLineAsync($"spillway: no stored key '{keyId}' in {store.DatabasePath} (spillway keys list shows them).");
                return 1;
            }

            await Console.Out.WriteLineAsync($"Removed stored key '{keyId}'. A running spillway serve keeps using it until restarted.");
            return 0;
        }));
        return remove;
    }

    private static Command CreateRotateMaster(TimeProvider time)
    {
        var data = DataOption();
        var rotate = new Command(
            "rotate-master",
            $"Seal every stored key under a new master key in one transaction. With a key file, a new random key replaces it; with {MasterKeySource.Variable}, the new key is read from {MasterKeySource.NewVariable}.")
        {
            data,
        };
        rotate.SetAction((result, cancellationToken) => GuardAsync(async () =>
        {
            var dataDirectory = result.GetValue(data)!;
            await Console.Out.WriteLineAsync(DataFolder.Line(dataDirectory));
            var vault = new KeyVault(new SqliteKeyVaultStore(dataDirectory), time);
            var done = await MasterKeyRotation.RotateAsync(vault, dataDirectory, ServeCommand.ReadEnvironment(), cancellationToken);
            var keys = done.Resealed == 1 ? "1 stored key" : $"{done.Resealed} stored keys";
            await Console.Out.WriteLineAsync(done.FromEnvironment
                ? $"Sealed {keys} under the master key in {MasterKeySource.NewVariable} (id {done.NewMasterKeyId}). Now set {MasterKeySource.Variable} to that value and unset {MasterKeySource.NewVariable}: the old master key no longer opens them."
                : $"Sealed {keys} under a new master key (id {done.NewMasterKeyId}) and replaced {done.KeyFile}. The old master key no longer opens them.");
            return 0;
        }));
        return rotate;
    }
}
