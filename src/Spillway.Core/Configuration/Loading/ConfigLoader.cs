using Spillway.Core.Configuration.Yaml;
using Spillway.Core.Providers;

namespace Spillway.Core.Configuration.Loading;

/// <summary>
/// Builds the <see cref="SpillwayConfig"/> snapshot: from a YAML file (README.md, "Configure"), or, without one,
/// from the provider key variables in the environment. The environment is always passed in, never read here,
/// so tests and reloads see exactly what they are given.
/// </summary>
public static class ConfigLoader
{
    /// <summary>The alias zero-config creates: free tiers first, cheap paid models last.</summary>
    public const string FreeFirstAlias = "free-first";

    /// <summary>The embeddings alias zero-config builds (<see cref="EnvironmentConfigBuilder.FreeEmbeddingsRoute"/>).</summary>
    public const string FreeEmbeddingsAlias = "free-embeddings";

    /// <summary>The variable zero-config reads the admin token from.</summary>
    public const string AdminTokenVariable = "SPILLWAY_ADMIN_TOKEN";

    private static readonly string[] Sections = ["providers", "models", "pricing", "pricing_reference", "catalog", "timeouts", "breaker", "auth", "storage", "ledger", "metrics", "telemetry"];

    /// <summary>Reads and validates a YAML config file.</summary>
    /// <param name="path">The file; messages name it as given.</param>
    /// <param name="environment">Variables for <c>env:</c> indirections.</param>
    /// <exception cref="ConfigException">The file is missing, unreadable or invalid; the message is one line.</exception>
    public static SpillwayConfig LoadFile(string path, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(environment);

        return Parse(ReadText(path), path, environment);
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            var full = Path.GetFullPath(path);
            var where = string.Equals(full, path, StringComparison.Ordinal) ? string.Empty : $" ({full})";
            throw new ConfigException(path, null, null, null, $"config file not found{where}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, null, null, null, $"cannot read config file: {e.Message}", e);
        }
    }

    /// <summary>Reads and validates YAML text.</summary>
    /// <param name="yaml">The config document.</param>
    /// <param name="sourceName">What messages and <see cref="SpillwayConfig.Source"/> call it (usually the file path).</param>
    /// <param name="environment">Variables for <c>env:</c> indirections.</param>
    /// <exception cref="ConfigException">The config is invalid; the message is one line.</exception>
    public static SpillwayConfig Parse(string yaml, string sourceName, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        ArgumentNullException.ThrowIfNull(environment);

        var root = YamlDocumentReader.ReadRoot(yaml, sourceName);
        if (root is null)
        {
            // An empty file is a config with nothing in it; the caller explains what that means.
            return new SpillwayConfig { Storage = StorageSection.FromEnvironment(environment), Source = sourceName };
        }

        var context = new ConfigReadContext(sourceName, environment, SecretScrubber.Collect(root, environment));
        var map = YamlMap.Open(context, root, string.Empty, Sections);

        // Order matters: providers take the global timeouts as their fallback, routes need the providers.
        var timeoutsMap = map.Map("timeouts", TimeoutsSection.GlobalFields);
        var timeouts = TimeoutsSection.Read(timeoutsMap, TimeoutsConfig.Default);
        var providers = ProvidersSection.Read(map, timeouts);
        return new SpillwayConfig
        {
            Providers = providers,
            Models = ModelsSection.Read(map, providers),
            Pricing = PricingSection.Read(map, providers),
            PricingReference = PricingSection.ReadReference(map, providers),
            Catalog = CatalogSection.Read(map),
            Timeouts = timeouts,
            ShutdownGrace = timeoutsMap?.Seconds("shutdown_grace_seconds") ?? SpillwayConfig.DefaultShutdownGrace,
            Breaker = BreakerSection.Read(map),
            Auth = AuthSection.Read(map),
            Storage = StorageSection.Read(map),
            Ledger = LedgerSection.Read(map),
            Telemetry = TelemetrySection.Read(map),
            Source = sourceName,
        };
    }

    /// <summary>
    /// The shared stores named by <c>SPILLWAY_REDIS</c> and <c>SPILLWAY_POSTGRES</c>: what a config without a
    /// <c>storage:</c> section, and zero-config, use. An empty variable is not set.
    /// </summary>
    /// <exception cref="ConfigException">A variable names no host; the message names the variable, never its value.</exception>
    public static StorageConfig StorageFromEnvironment(IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return StorageSection.FromEnvironment(environment);
    }

    /// <summary>
    /// Only the <c>storage:</c> section of a config file (or, without one in it, <c>SPILLWAY_REDIS</c> and
    /// <c>SPILLWAY_POSTGRES</c>): what the record commands (<c>spillway keys</c>, <c>clients</c>, <c>usage</c>) need,
    /// without resolving the providers' keys, which those commands never use.
    /// </summary>
    /// <exception cref="ConfigException">The file is missing, not YAML, or its <c>storage:</c> section is invalid.</exception>
    public static StorageConfig StorageFromFile(string path, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(environment);
        var root = YamlDocumentReader.ReadRoot(ReadText(path), path);
        if (root is null)
        {
            return StorageSection.FromEnvironment(environment);
        }

        var context = new ConfigReadContext(path, environment, SecretScrubber.Collect(root, environment));
        return StorageSection.Read(YamlMap.Open(context, root, string.Empty, Sections));
    }

    /// <summary>
    /// Zero-config: every known provider key variable that is set becomes a provider named after its preset, with
    /// one key (<c>&lt;preset&gt;-env</c>) and the preset's tier and limits; the <c>free-first</c> alias chains the
    /// free tiers first and the paid providers' cheap models last. With no key variable set the config has no
    /// providers (the caller explains, or starts the demo). <c>SPILLWAY_ADMIN_TOKEN</c> sets the admin token,
    /// <c>SPILLWAY_REDIS</c> and <c>SPILLWAY_POSTGRES</c> the shared stores.
    /// </summary>
    public static SpillwayConfig FromEnvironment(IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return EnvironmentConfigBuilder.Build(environment);
    }
}
