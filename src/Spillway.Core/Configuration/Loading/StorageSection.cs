using Spillway.Core.Configuration.Yaml;
using Spillway.Core.Providers;
using YamlDotNet.RepresentationModel;

namespace Spillway.Core.Configuration.Loading;

/// <summary>
/// Reads <c>storage:</c> (<c>redis:</c> and <c>postgres:</c>, each <c>{ env: NAME }</c> or <c>{ value: … }</c>).
/// Without the section, <c>SPILLWAY_REDIS</c> and <c>SPILLWAY_POSTGRES</c> are read from the environment instead.
/// </summary>
internal static class StorageSection
{
    public static readonly string[] Fields = ["redis", "postgres"];

    public static StorageConfig Read(YamlMap root)
    {
        if (root.Map("storage", Fields) is not { } map)
        {
            return FromEnvironment(root.Context.Environment);
        }

        return new StorageConfig(
            ReadStore(map, "redis", StorageConfig.RedisVariable, StorageConfig.RedisTarget, "a Redis host (e.g. 127.0.0.1:6379,password=…)"),
            ReadStore(map, "postgres", StorageConfig.PostgresVariable, StorageConfig.PostgresTarget, "a PostgreSQL connection string with a Host (e.g. Host=db;Database=spillway;Username=…;Password=…)"));
    }

    /// <summary>The stores named by <c>SPILLWAY_REDIS</c> and <c>SPILLWAY_POSTGRES</c>; an empty variable is not set.</summary>
    /// <exception cref="ConfigException">A variable is set but names no host; the message names the variable, never its value.</exception>
    public static StorageConfig FromEnvironment(IReadOnlyDictionary<string, string?> environment) => new(
        FromVariable(environment, StorageConfig.RedisVariable, StorageConfig.RedisTarget, "a Redis host (e.g. 127.0.0.1:6379,password=…)"),
        FromVariable(environment, StorageConfig.PostgresVariable, StorageConfig.PostgresTarget, "a PostgreSQL connection string with a Host (e.g. Host=db;Database=spillway;Username=…;Password=…)"));

    private static Secret? ReadStore(YamlMap storage, string field, string example, Func<string, string?> target, string expected)
    {
        if (storage.Get(field) is not { } node)
        {
            return null;
        }

        // The connection string itself here would be a password in the config file, outside value:'s masking: refuse
        // it without echoing it.
        if (node is not YamlMappingNode)
        {
            throw storage.Error(field, $"expected {{ env: {example} }} or {{ value: \"…\" }}, got {(node is YamlSequenceNode ? "a list" : "text")}");
        }

        var secret = SecretReader.Read(YamlMap.Open(storage.Context, node, storage.PathOf(field), SecretReader.Fields), example);
        return target(secret.Reveal()) is null
            ? throw storage.Error(field, $"expected {expected}")
            : secret;
    }

    private static Secret? FromVariable(IReadOnlyDictionary<string, string?> environment, string name, Func<string, string?> target, string expected)
    {
        if (!environment.TryGetValue(name, out var value) || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var secret = value.Trim();
        return target(secret) is null
            ? throw new ConfigException("environment", null, null, name, $"expected {expected}")
            : new Secret(secret);
    }
}
