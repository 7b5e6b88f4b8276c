using System.Text.RegularExpressions;
using Spillway.Core.Chat;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;
using YamlDotNet.RepresentationModel;

namespace Spillway.Core.Configuration.Yaml;

/// <summary>The YAML spellings of the config's enumerations and ids, and their parsers.</summary>
internal static partial class ConfigNames
{
    public static WireFormat Format(ConfigReadContext context, YamlNode node, string path) => Choose(
        context, node, path, "format", ("openai", WireFormat.OpenAI), ("anthropic", WireFormat.Anthropic), ("gemini", WireFormat.Gemini),
        ("openai-responses", WireFormat.OpenAIResponses));

    public static string Name(WireFormat format) => format switch
    {
        WireFormat.Anthropic => "anthropic",
        WireFormat.Gemini => "gemini",
        WireFormat.OpenAIResponses => "openai-responses",
        _ => "openai",
    };

    public static AuthStyle Auth(ConfigReadContext context, YamlNode node, string path) => Choose(
        context, node, path, "auth", ("bearer", AuthStyle.Bearer), ("x-api-key", AuthStyle.XApiKey), ("x-goog-api-key", AuthStyle.XGoogApiKey));

    /// <summary>How a format's own vendor takes the key, for providers configured without a preset.</summary>
    public static AuthStyle DefaultAuth(WireFormat format) => format switch
    {
        WireFormat.Anthropic => AuthStyle.XApiKey,
        WireFormat.Gemini => AuthStyle.XGoogApiKey,
        _ => AuthStyle.Bearer,
    };

    public static KeyTier Tier(ConfigReadContext context, YamlNode node, string path) =>
        Choose(context, node, path, "tier", ("free", KeyTier.Free), ("paid", KeyTier.Paid));

    public static RoutingStrategy Strategy(ConfigReadContext context, YamlNode node, string path) => Choose(
        context,
        node,
        path,
        "strategy",
        ("free-first", RoutingStrategy.FreeFirst),
        ("ordered", RoutingStrategy.Ordered),
        ("cheapest", RoutingStrategy.Cheapest),
        ("fastest", RoutingStrategy.Fastest));

    public static KeySelection KeySelection(ConfigReadContext context, YamlNode node, string path) => Choose(
        context,
        node,
        path,
        "key_selection",
        ("fill-first", Providers.KeySelection.FillFirst),
        ("round-robin", Providers.KeySelection.RoundRobin),
        ("least-used", Providers.KeySelection.LeastUsed));

    public static StreamFailureMode StreamFailure(ConfigReadContext context, YamlNode node, string path) =>
        Choose(context, node, path, "on_stream_failure", ("continue", StreamFailureMode.Continue), ("error", StreamFailureMode.Error));

    public static AssistantPrefill Prefill(ConfigReadContext context, YamlNode node, string path) => Choose(
        context, node, path, "prefill", ("message", AssistantPrefill.Message), ("prefix", AssistantPrefill.PrefixFlag), ("none", AssistantPrefill.None));

    public static RateLimitScheme Scheme(ConfigReadContext context, YamlNode node, string path) => Choose(
        context,
        node,
        path,
        "scheme",
        ("none", RateLimitScheme.None),
        ("openai", RateLimitScheme.OpenAI),
        ("groq", RateLimitScheme.Groq),
        ("mistral", RateLimitScheme.Mistral),
        ("openrouter", RateLimitScheme.OpenRouter),
        ("anthropic", RateLimitScheme.Anthropic),
        ("gemini", RateLimitScheme.Gemini));

    public static DailyResetRule DailyReset(ConfigReadContext context, YamlNode node, string path) => Choose(
        context, node, path, "daily reset", ("utc_midnight", DailyResetRule.UtcMidnight), ("pacific_midnight", DailyResetRule.PacificMidnight));

    /// <summary>
    /// The value whose spelling (any case) the node holds; else an error naming the field and every spelling taken,
    /// e.g. <c>unknown tier 'premium' (expected free or paid)</c>.
    /// </summary>
    private static T Choose<T>(ConfigReadContext context, YamlNode node, string path, string field, params ReadOnlySpan<(string Name, T Value)> choices)
    {
        var text = YamlValues.Text(context, node, path).ToLowerInvariant();
        foreach (var (name, value) in choices)
        {
            if (name == text)
            {
                return value;
            }
        }

        var expected = new System.Text.StringBuilder();
        for (var i = 0; i < choices.Length; i++)
        {
            expected.Append(i == 0 ? "" : i == choices.Length - 1 ? " or " : ", ").Append(choices[i].Name);
        }

        throw context.Error(node, path, $"unknown {field} {YamlValues.Quote(text)} (expected {expected})");
    }

    /// <summary>
    /// A provider, key or client id: it appears in routes, logs and metrics labels, so it stays one plain word.
    /// A provider id must not contain '/', which separates it from the model in a route.
    /// </summary>
    public static string Id(YamlMap map, string field, string why)
    {
        var id = map.RequiredText(field, why);
        return IdPattern().IsMatch(id)
            ? id
            : throw map.Error(field, $"{YamlValues.Quote(id)} is not a valid id (use letters, digits, '.', '_' or '-')");
    }

    /// <summary>True for a valid provider, key or client id (what <see cref="Id"/> accepts).</summary>
    public static bool IsId(string id) => IdPattern().IsMatch(id);

    public static bool IsEnvironmentVariableName(string name) => EnvironmentVariablePattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentVariablePattern();
}
