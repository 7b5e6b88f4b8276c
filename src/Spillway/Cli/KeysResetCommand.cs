using System.CommandLine;
using Spillway.Core.KeyState;
using Spillway.Storage.Sqlite;

namespace Spillway.Cli;

/// <summary>
/// <c>spillway keys reset KEYID</c>: ends every cooldown of a key (a rejected key included) on the running gateway,
/// for a key fixed at the provider. With no gateway running, clears the cooldowns saved in the data folder instead,
/// so the next start does not restore them.
/// </summary>
internal static class KeysResetCommand
{
    public static Command Create(TimeProvider time)
    {
        var id = new Argument<string>("KEYID") { Description = "The key's id (as in the config or `spillway keys list`)." };
        var url = AdminCall.UrlOption();
        var data = DataFolder.Option();
        var reset = new Command(
            "reset",
            "End a key's cooldowns now (rate limits, spent quota, a rejected key) on the running gateway, or in the data folder when none runs.")
        {
            id, url, data,
        };
        reset.SetAction((result, cancellationToken) => CommandErrors.GuardAsync(() =>
            ResetAsync(result.GetValue(id)!, result.GetValue(url)!, result.GetValue(data)!, time, cancellationToken)));
        return reset;
    }

    private static async Task<int> ResetAsync(string keyId, string url, string dataDirectory, TimeProvider time, CancellationToken cancellationToken)
    {
        await Console.Out.WriteLineAsync(DataFolder.Line(dataDirectory));
        var answer = await AdminCall.PostAsync(url, "/admin/keys/" + Uri.EscapeDataString(keyId) + "/reset", cancellationToken);
        if (answer is null)
        {
            return await ResetSavedAsync(keyId, url, dataDirectory, time, cancellationToken);
        }

        if (!answer.Succeeded)
        {
            await Console.Error.WriteLineAsync($"spillway: {url}: {answer.ErrorMessage()}");
            return 1;
        }

        var ended = answer.Number("cooldowns_ended");
        await Console.Out.WriteLineAsync(
            $"Reset key '{keyId}' on the gateway at {url}: {ended} {(ended == 1 ? "cooldown" : "cooldowns")} ended; the next request may call it.");
        return 0;
    }

    /// <summary>No gateway listens: the saved key state is what the next start would restore, so clear it there.</summary>
    private static async Task<int> ResetSavedAsync(
        string keyId, string url, string dataDirectory, TimeProvider time, CancellationToken cancellationToken)
    {
        using var archive = new SqliteKeyStateArchive(dataDirectory);
        await archive.InitializeAsync(cancellationToken);
        var saved = await archive.LoadAsync(cancellationToken);
        var now = time.GetUtcNow();
        var kept = saved.Cooldowns.Where(c => c.KeyId != keyId).ToList();
        var ended = saved.Cooldowns.Count(c => c.KeyId == keyId && c.Cooldown.Until > now);
        if (kept.Count != saved.Cooldowns.Count)
        {
            await archive.SaveAsync(new KeyStateSnapshot(kept, saved.Quotas), cancellationToken);
        }

        await Console.Out.WriteLineAsync(
            $"No gateway answers at {url}; cleared {ended} saved {(ended == 1 ? "cooldown" : "cooldowns")} of key '{keyId}' in {archive.DatabasePath}. " +
            "A rejected key is re-checked at every start anyway. If a gateway runs elsewhere, pass --url.");
        return 0;
    }
}
