using System.Collections.Immutable;

namespace Spillway.Core.Configuration.Yaml;

/// <summary>Reads a <c>headers:</c> mapping: extra, non-secret request headers.</summary>
internal static class HeaderReader
{
    // Credentials go under keys:, where they are masked; a header value is logged and shown like any setting.
    private static readonly string[] CredentialHeaders = ["authorization", "x-api-key", "x-goog-api-key", "proxy-authorization", "cookie"];

    public static ImmutableDictionary<string, string> Read(YamlMap map, string field)
    {
        var headers = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value, keyNode, path) in map.Pairs(field))
        {
            if (!IsToken(name))
            {
                throw map.Context.Error(keyNode, map.PathOf(field), $"{YamlValues.Quote(name)} is not a valid header name");
            }

            if (CredentialHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw map.Context.Error(keyNode, path, "credentials belong under keys:, not headers:");
            }

            if (value.Any(char.IsControl))
            {
                throw map.Context.Error(keyNode, path, "a header value must be one line");
            }

            if (!headers.TryAdd(name, value))
            {
                throw map.Context.Error(keyNode, path, "header set twice (names are case-insensitive)");
            }
        }

        return headers.ToImmutable();
    }

    // RFC 9110 token characters.
    private static bool IsToken(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));
}
