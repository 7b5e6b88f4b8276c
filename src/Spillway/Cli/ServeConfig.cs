using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;
using Spillway.Hosting;

namespace Spillway.Cli;

/// <summary>
/// The config <c>serve</c> runs (without <c>--demo</c>), built the one way <c>serve</c> and <c>config check</c> share:
/// the config file, or the provider key variables of the environment; then the stored keys and clients (data folder, or PostgreSQL with <c>storage.postgres</c>).
/// </summary>
internal static class ServeConfig
{
    /// <summary>Why there is no config to run: <c>serve</c> then starts the demo.</summary>
    public const string NoProviders =
        "no provider key found in the environment (GEMINI_API_KEY, GROQ_API_KEY, OPENROUTER_API_KEY, …) and no --config";

    /// <summary>The config, or null when neither a config file, the environment nor the data folder names a provider.</summary>
    /// <exception cref="ConfigException">One line: what is wrong and where (file, field, stored key or client).</exception>
    public static async Task<SpillwayConfig?> LoadAsync(
        FileInfo? configFile,
        string dataDirectory,
        IReadOnlyDictionary<string, string?> environment,
        TimeProvider time,
        TextWriter warnings,
        CancellationToken cancellationToken)
    {
        var config = configFile is null ? ConfigLoader.FromEnvironment(environment) : ConfigLoader.LoadFile(configFile.FullName, environment);
        RecordStores records;
        try
        {
            records = await RecordStores.OpenAsync(config.Storage, dataDirectory, cancellationToken);
        }
        catch (ConfigException e) when (e.InnerException is { } cause && RecordStores.IsUnreachable(cause) && !config.Providers.IsEmpty)
        {
            // The config can serve on its own: an instance starting while PostgreSQL is away still serves. Without
            // providers of its own it must not start (nor fall back to the demo), so that case stays an error.
            await warnings.WriteLineAsync(
                $"spillway: warning: {e.Message}; serving the config's own keys and clients. Stored clients are read once it answers, stored keys at the next start.");
            return config;
        }

        await using var opened = records;
        config = await StoredKeysLoader.ApplyAsync(config, records, dataDirectory, environment, time, cancellationToken);
        if (configFile is null && config.Providers.IsEmpty)
        {
            return null;
        }

        return await StoredClients.AddToAsync(config, records, cancellationToken);
    }
}
