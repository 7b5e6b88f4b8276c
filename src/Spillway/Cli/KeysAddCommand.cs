using System.CommandLine;
using Spillway.Core.Configuration.Yaml;
using Spillway.Core.Providers;
using Spillway.Core.Providers.Presets;
using Spillway.Core.Secrets;
using Spillway.Hosting;
using Spillway.Storage.Redis;

namespace Spillway.Cli;

/// <summary>
/// <c>spillway keys add --provider ID --id KEYID [--tier free|paid] [--rpm N --rpd N --tpm N --tpd N] [--from-env VAR] [--data DIR]</c>:
/// seals a provider key read from stdin (piped, or typed at a prompt that does not echo) or from a named variable.
/// </summary>
internal static class KeysAddCommand
{
    public static Command Create(TimeProvider time)
    {
        var provider = new Option<string>("--provider")
        {
            Description = "The provider it belongs to: a preset (groq, gemini, openrouter, openai, …) or a provider id in your config.",
            Required = true,
        };
        var id = new Option<string>("--id") { Description = "A unique id for the key, shown in logs and the admin API instead of the key.", Required = true };
        var tier = new Option<string?>("--tier") { Description = "free or paid (default: the preset's tier; paid without a preset)." };
        tier.AcceptOnlyFromAmong("free", "paid");
        var rpm = new Option<int?>("--rpm") { Description = "Known requests per minute." }.WholeNumberOf("requests per minute");
        var rpd = new Option<int?>("--rpd") { Description = "Known requests per day." }.WholeNumberOf("requests per day");
        var tpm = new Option<long?>("--tpm") { Description = "Known tokens per minute." }.WholeNumberOf("tokens per minute");
        var tpd = new Option<long?>("--tpd") { Description = "Known tokens per day." }.WholeNumberOf("tokens per day");
        var fromEnv = new Option<string?>("--from-env") { Description = "Read the key from this environment variable instead of stdin." };
        var records = new RecordsOptions();
        var add = new Command("add", "Store a provider key, encrypted. The key is read from stdin (or a hidden prompt), never from the command line.")
        {
            provider, id, tier, rpm, rpd, tpm, tpd, fromEnv,
        };
        records.AddTo(add);
        add.SetAction((result, cancellationToken) => CommandErrors.GuardAsync(() => RunAsync(
            new Request(
                result.GetValue(provider)!,
                result.GetValue(id)!,
                result.GetValue(tier),
                new KeyLimits(result.GetValue(rpm), result.GetValue(rpd), result.GetValue(tpm), result.GetValue(tpd)),
                result.GetValue(fromEnv),
                records.Of(result)),
            time,
            cancellationToken)));
        return add;
    }

    private static async Task<int> RunAsync(Request request, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var records = await RecordStores.OpenAsync(request.Place.Storage, request.Place.DataDirectory, cancellationToken);
        await Console.Out.WriteLineAsync(records.Line);
        if (Problem(request) is { } problem)
        {
            await Console.Error.WriteLineAsync("spillway: " + problem);
            return 1;
        }

        var environment = ServeCommand.ReadEnvironment();
        var secret = await SecretInput.ReadAsync(request.FromVariable, request.Provider, environment, Console.Error, cancellationToken);
        if (secret is null)
        {
            return 1;
        }

        var preset = ProviderPresets.Find(request.Provider);
        var tier = request.Tier switch
        {
            "free" => KeyTier.Free,
            "paid" => KeyTier.Paid,

            // As in a config file: without a preset nothing says the key is free.
            _ => preset?.DefaultTier ?? KeyTier.Paid,
        };

        var vault = new KeyVault(records.KeyVault, time);
        var stored = await vault.ListAsync(cancellationToken);
        using var master = MasterKeySource.Resolve(request.Place.DataDirectory, environment, [.. stored.Select(k => k.MasterKeyId).Distinct()], create: true)!;
        var info = await vault.AddAsync(master, request.Id, request.Provider, tier, request.Limits, secret, cancellationToken);

        if (master.Created)
        {
            await Console.Out.WriteLineAsync(
                $"Created the master key {master.Origin} (readable by you only). Back it up: without it the stored keys cannot be opened.");
        }

        var tierName = info.Tier == KeyTier.Free ? "free" : "paid";
        await Console.Out.WriteLineAsync(
            $"Stored key '{info.Id}' for {info.Provider} ({tierName}, …{info.Last4}) in {records.Place}, sealed under the {master.Description}.");
        if (records.Postgres is not null && master.Created)
        {
            await Console.Out.WriteLineAsync(
                $"Every instance reading these records needs the same master key: set {MasterKeySource.Variable} on each (or copy the key file).");
        }

        if (preset is null)
        {
            await Console.Out.WriteLineAsync(
                $"'{info.Provider}' is not a preset ({string.Join(", ", ProviderPresets.Ids)}): spillway serve uses this key only with a config that defines provider '{info.Provider}'.");
        }

        await StoredChangeNotice.TellAsync(request.Place.Storage, StoredChange.Keys, Console.Out);
        return 0;
    }

    private static string? Problem(Request request)
    {
        if (!ConfigNames.IsId(request.Provider))
        {
            return $"--provider '{request.Provider}' is not a valid provider id (use letters, digits, '.', '_' or '-').";
        }

        if (!ConfigNames.IsId(request.Id))
        {
            return $"--id '{request.Id}' is not a valid key id (use letters, digits, '.', '_' or '-').";
        }

        var limits = request.Limits;
        (string Name, long? Value)[] figures = [("--rpm", limits.Rpm), ("--rpd", limits.Rpd), ("--tpm", limits.Tpm), ("--tpd", limits.Tpd)];
        return figures.FirstOrDefault(f => f.Value < 1) is { Name: { } name, Value: { } value }
            ? $"{name} must be 1 or more, got {value}."
            : null;
    }

    private sealed record Request(string Provider, string Id, string? Tier, KeyLimits Limits, string? FromVariable, RecordsPlace Place);
}
