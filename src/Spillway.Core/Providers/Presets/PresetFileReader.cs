using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Yaml;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Providers.Presets;

/// <summary>
/// Reads <c>presets.yaml</c> with the same strict reader as user config: a typo in the data fails the first
/// test that loads it, with the line, instead of silently dropping a figure.
/// </summary>
internal static partial class PresetFileReader
{
    private static readonly string[] PresetFields =
    [
        "id", "name", "format", "base_url", "auth", "key_env", "tier", "may_train_on_prompts", "errors_as_array",
        "rate_limits", "quirks", "prefill", "headers", "upstream_models", "max_output_tokens", "capabilities", "key_limits", "models", "free_models", "cheap_models", "embedding_models", "other_endpoints",
    ];

    private static readonly string[] RateLimitFields = ["scheme", "daily_reset", "quota_per_model"];
    private static readonly string[] QuirkFields = ["drop", "rename", "accepts_stream_options"];
    private static readonly string[] EndpointFields = ["format", "base_url", "auth"];
    private static readonly string[] FreeModelFields = ["model", "limits", "source", "as_of"];
    private static readonly string[] PaidModelFields = ["model", "input", "output", "cached_input", "source", "as_of"];

    public static ImmutableArray<ProviderPreset> Parse(string yaml, string sourceName)
    {
        var empty = new Dictionary<string, string?>();
        var root = YamlDocumentReader.ReadRoot(yaml, sourceName)
            ?? throw new ConfigException(sourceName, null, null, null, "is empty");
        var context = new ConfigReadContext(sourceName, empty, new SecretScrubber());
        var file = YamlMap.Open(context, root, string.Empty, ["presets"]);

        var presets = ImmutableArray.CreateBuilder<ProviderPreset>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (node, path) in file.List("presets"))
        {
            var preset = ReadPreset(YamlMap.Open(context, node, path, PresetFields));
            if (!seen.Add(preset.Id))
            {
                throw context.Error(node, path + ".id", $"duplicate preset id '{preset.Id}'");
            }

            presets.Add(preset);
        }

        return presets.ToImmutable();
    }

    private static ProviderPreset ReadPreset(YamlMap map)
    {
        var context = map.Context;
        var format = ConfigNames.Format(context, map.Get("format") ?? throw map.Missing("format", "every preset has one"), map.PathOf("format"));
        var keyEnv = map.RequiredText("key_env", "zero-config reads the key from it");
        return new ProviderPreset
        {
            Id = ConfigNames.Id(map, "id", "every preset has one"),
            Name = map.RequiredText("name", "listings show it"),
            Format = format,
            BaseUrl = map.AbsoluteUrl("base_url") ?? throw map.Missing("base_url", "every preset has one"),
            Auth = ConfigNames.Auth(context, map.Get("auth") ?? throw map.Missing("auth", "every preset has one"), map.PathOf("auth")),
            KeyEnvironmentVariable = ConfigNames.IsEnvironmentVariableName(keyEnv) ? keyEnv : throw map.Error("key_env", "not a variable name"),
            DefaultTier = ConfigNames.Tier(context, map.Get("tier") ?? throw map.Missing("tier", "every preset has one"), map.PathOf("tier")),
            Training = ReadTraining(map),
            ErrorsAsArray = map.Bool("errors_as_array") ?? false,
            RateLimits = ReadRateLimits(map.Map("rate_limits", RateLimitFields)),
            Quirks = ReadQuirks(map.Map("quirks", QuirkFields)),
            Prefill = map.Get("prefill") is { } prefill ? ConfigNames.Prefill(context, prefill, map.PathOf("prefill")) : null,
            Headers = HeaderReader.Read(map, "headers"),
            UpstreamModels = map.Pairs("upstream_models").ToImmutableDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal),
            MaxOutputTokens = map.Counts("max_output_tokens"),
            Capabilities = CapabilitiesReader.Read(map),
            KeyLimits = LimitsReader.Read(map.Map("key_limits", LimitsReader.Fields)),
            Models = map.TextList("models"),
            FreeModels = [.. map.List("free_models").Select(item => ReadFreeModel(YamlMap.Open(context, item.Node, item.Path, FreeModelFields)))],
            CheapModels = [.. map.List("cheap_models").Select(item => ReadPaidModel(YamlMap.Open(context, item.Node, item.Path, PaidModelFields)))],
            EmbeddingModels = [.. map.List("embedding_models").Select(item => ReadEmbeddingModel(YamlMap.Open(context, item.Node, item.Path, FreeModelFields)))],
            OtherEndpoints = [.. map.List("other_endpoints").Select(item => ReadEndpoint(YamlMap.Open(context, item.Node, item.Path, EndpointFields)))],
        };
    }

    private static RateLimitRules ReadRateLimits(YamlMap? map) => map is null
        ? RateLimitRules.Default
        : new RateLimitRules(
            map.Get("scheme") is { } scheme ? ConfigNames.Scheme(map.Context, scheme, map.PathOf("scheme")) : RateLimitScheme.None,
            map.Get("daily_reset") is { } reset ? ConfigNames.DailyReset(map.Context, reset, map.PathOf("daily_reset")) : DailyResetRule.UtcMidnight,
            map.Bool("quota_per_model") ?? false);

    private static ParameterQuirks ReadQuirks(YamlMap? map)
    {
        if (map is null)
        {
            return ParameterQuirks.None;
        }

        var rename = map.Pairs("rename").ToImmutableDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        return new ParameterQuirks
        {
            Drop = map.TextList("drop"),
            Rename = rename,
            AcceptsStreamOptions = map.Bool("accepts_stream_options") ?? true,
        };
    }

    private static PresetFreeModel ReadFreeModel(YamlMap map) => new(
        map.RequiredText("model", "a free model names its model"),
        LimitsReader.Read(map.Map("limits", LimitsReader.Fields)),
        map.RequiredText("source", "every figure names its source"),
        AsOf(map));

    private static PresetEmbeddingModel ReadEmbeddingModel(YamlMap map) => new(
        map.RequiredText("model", "an embedding model names its model"),
        LimitsReader.Read(map.Map("limits", LimitsReader.Fields)),
        map.RequiredText("source", "every figure names its source"),
        AsOf(map));

    private static PresetPaidModel ReadPaidModel(YamlMap map) => new(
        map.RequiredText("model", "a paid model names its model"),
        map.Amount("input"),
        map.Amount("output"),
        map.Amount("cached_input"),
        map.RequiredText("source", "every model names its source"),
        AsOf(map));

    private static PresetEndpoint ReadEndpoint(YamlMap map) => new(
        ConfigNames.Format(map.Context, map.Get("format") ?? throw map.Missing("format", "an endpoint has a format"), map.PathOf("format")),
        map.AbsoluteUrl("base_url") ?? throw map.Missing("base_url", "an endpoint has a base URL"),
        ConfigNames.Auth(map.Context, map.Get("auth") ?? throw map.Missing("auth", "an endpoint has an auth style"), map.PathOf("auth")));

    private static string AsOf(YamlMap map)
    {
        var asOf = map.RequiredText("as_of", "every figure says when it was seen");
        return AsOfPattern().IsMatch(asOf) ? asOf : throw map.Error("as_of", $"expected YYYY-MM or YYYY-MM-DD, got '{asOf}'");
    }

    [GeneratedRegex(@"^\d{4}-\d{2}(-\d{2})?$")]
    private static partial Regex AsOfPattern();

    // `may_train_on_prompts: free_tier` (calls with a free key) or `free_models` (calls to the vendor's free models).
    private static PromptTraining ReadTraining(YamlMap map) => map.Text("may_train_on_prompts") switch
    {
        null => PromptTraining.None,
        "free_tier" => PromptTraining.FreeTierKeys,
        "free_models" => PromptTraining.FreeModels,
        var other => throw map.Error("may_train_on_prompts", $"expected free_tier or free_models, got {YamlValues.Quote(other)}"),
    };
}
