using Spillway.Core.Providers;
using YamlDotNet.RepresentationModel;

namespace Spillway.Core.Configuration.Yaml;

/// <summary>Reads a credential written either inline (<c>value:</c>) or as an environment variable's name (<c>env:</c>).</summary>
internal static class SecretReader
{
    public static readonly string[] Fields = ["value", "env"];

    /// <summary>The secret of a mapping that has <c>value</c> or <c>env</c> (exactly one of them).</summary>
    /// <param name="example">A variable name to suggest when both are missing.</param>
    public static Secret Read(YamlMap map, string example)
    {
        var hasValue = map.Has("value");
        var hasEnv = map.Has("env");
        if (hasValue && hasEnv)
        {
            throw map.Error("env", "set either value or env, not both");
        }

        if (hasValue)
        {
            // The message may name the field, never its content; the scrubber masks it should it slip in.
            var value = map.Get("value") is YamlScalarNode { Value: { } text } ? text.Trim() : null;
            if (value is null)
            {
                throw map.Error("value", "expected the secret as text");
            }

            return value.Length == 0 ? throw map.Error("value", "must not be empty") : new Secret(value);
        }

        if (hasEnv)
        {
            return FromEnvironment(map.Context, map.Get("env")!, map.PathOf("env"));
        }

        throw map.Context.Error(map.Node, map.Path, $"needs value or env (e.g. env: {example})");
    }

    /// <summary>The value of the variable the node names; an error names the variable, never a value.</summary>
    public static Secret FromEnvironment(ConfigReadContext context, YamlNode node, string path)
    {
        var name = YamlValues.Text(context, node, path);

        // Someone who pastes the key itself under env: must not see it echoed back in a log.
        if (YamlValues.LooksLikeCredential(name))
        {
            throw context.Error(node, path, "expected the name of an environment variable, got what looks like a key (put a key itself under value:)");
        }

        if (!ConfigNames.IsEnvironmentVariableName(name))
        {
            throw context.Error(node, path, $"{YamlValues.Quote(name)} is not an environment variable name (letters, digits and '_')");
        }

        if (!context.Environment.TryGetValue(name, out var value) || string.IsNullOrWhiteSpace(value))
        {
            throw context.Error(node, path, $"environment variable {name} is not set");
        }

        // A trailing newline from `export X=$(cat keyfile)` is never part of a key.
        var secret = value.Trim();
        context.RememberSecret(secret);
        return new Secret(secret);
    }
}
