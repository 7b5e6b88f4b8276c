using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Yaml;
using Spillway.Core.Providers;

namespace Spillway.Core.Pricing;

/// <summary>
/// Reads <c>prices.yaml</c> with the strict config reader: a typo in the data fails the first test that loads it, with
/// its line, instead of silently dropping a price.
/// </summary>
internal static partial class PriceFileReader
{
    private static readonly string[] RowFields =
    [
        "route", "input", "output", "cached_input", "cache_write", "reasoning", "max_input_tokens", "source", "as_of",
    ];

    public static FrozenDictionary<string, ModelPrice> Parse(string yaml, string sourceName)
    {
        var root = YamlDocumentReader.ReadRoot(yaml, sourceName)
            ?? throw new ConfigException(sourceName, null, null, null, "is empty");
        var context = new ConfigReadContext(sourceName, new Dictionary<string, string?>(), new SecretScrubber());
        var file = YamlMap.Open(context, root, string.Empty, ["prices"]);
        var prices = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        foreach (var (node, path) in file.List("prices"))
        {
            var row = YamlMap.Open(context, node, path, RowFields);
            var route = row.RequiredText("route", "a price is for one preset/model");
            var slash = route.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == route.Length - 1)
            {
                throw row.Error("route", $"'{route}' is not preset/model");
            }

            var price = new ModelPrice(
                row.Amount("input") ?? throw row.Missing("input", "USD per million input tokens"),
                row.Amount("output") ?? throw row.Missing("output", "USD per million output tokens"))
            {
                CachedInput = row.Amount("cached_input"),
                CacheWrite = row.Amount("cache_write"),
                Reasoning = row.Amount("reasoning"),
                MaxInputTokens = row.WholeNumber("max_input_tokens"),
                Source = $"{row.RequiredText("source", "every price names its source")}, {AsOf(row)}",
            };
            if (!prices.TryAdd(route, price))
            {
                throw row.Error("route", $"'{route}' is priced twice");
            }
        }

        return prices.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string AsOf(YamlMap map)
    {
        var asOf = map.RequiredText("as_of", "every price says when it was seen");
        return AsOfPattern().IsMatch(asOf) ? asOf : throw map.Error("as_of", $"expected YYYY-MM or YYYY-MM-DD, got '{asOf}'");
    }

    [GeneratedRegex(@"^\d{4}-\d{2}(-\d{2})?$")]
    private static partial Regex AsOfPattern();
}
