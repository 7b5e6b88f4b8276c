using System.Text.RegularExpressions;
using Spillway.Core.Chat;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;
using YamlDotNet.RepresentationModel;

namespace Spillway.Core.Configuration.Yaml;

/// <summary>The YAML spellings of the config's enumerations and ids, and their parsers.</summary>
internal static partial class ConfigNames
{
    public static WireFormat Format(ConfigReadContext context, YamlNode node, string path) =>
        YamlValues.Text(context, node, path).ToLowerInvariant() switch
        {
            "openai" => WireFormat.OpenAI,
            "anthropic" => WireFormat.Anthropic,
            "gemini" => WireFormat.Gemini,
            var other => throw context.Error(node, path, $"unknown format {YamlValues.Quote(other)} (expected openai, anthropic or gemini)"),
        };

    public static string Name(WireFormat format) => format switch
    {
        WireFormat.Anthropic => "anthropic",
        WireFormat.Gemini => "gemini",
        _ => "openai",
    };

    public static AuthStyle Auth(ConfigReadContext context, YamlNode node, string path) =>
        YamlValues.Text(context, node, path).ToLowerInvariant() switch
        {
            "bearer" => AuthStyle.Bearer,
            "x-api-key" => AuthStyle.XApiKey,
            "x-goog-api-key" => AuthStyle.XGoogApiKey,
            var other => throw context.Error(node, path, $"unknown auth {YamlValues.Quote(other)} (expected bearer, x-api-key or x-goog-api-key)"),
        };

    /// <summary>How a format's own vendor takes the key, for providers configured without a preset.</summary>
    public static AuthStyle DefaultAuth(WireFormat format) => format switch
    {
        WireFormat.Anthropic => AuthStyle.XApiKey,
        WireFormat.Gemini => AuthStyle.XGoogApiKey,
        _ => AuthStyle.Bearer,
    };

    public static KeyTier Tier(ConfigReadContext context, YamlNode node, string path) =>
        YamlValues.Text(context, node, path).ToLowerInvariant() switch
        {
            "free" => KeyTier.Free,
            "paid" => KeyTier.Paid,
            var other => throw context.Error(node, path, $"unknown tier {YamlValues.Quote(other)} (expected free or paid)"),
        };

    public static RoutingStrategy Strategy(ConfigReadContext context, YamlNode node, string path) =>
        YamlValues.Text(context, node, path).ToLowerInvariant() switch
        {
            "ordered" => RoutingStrategy.Ordered,
            "cheapest" => RoutingStrategy.Cheapest,
            "fastest" => RoutingStrategy.Fastest,
            "free-first" => RoutingStrategy.FreeFirst,
            var other => throw context.Error(node, path, $"unknown strategy {YamlValues.Quote(other)} (expected free-first, ordered, cheapest or fastest)"),
        };

    public static KeySelection KeySelection(ConfigReadContext context, YamlNode node, string path) =>
        YamlValues.Text(context, node, path).ToLowerInvariant() switch
        {
            "fill-first" => Providers.KeySelection.FillFirst,
            "round-robin" => Providers.KeySelection.RoundRobin,
            "least-used" => Providers.KeySelection.LeastUsed,
            var other => throw context.Error(
                node, path, $"unknown key_selection {YamlValues.Quote(other)} (expected fill-first, round-robin or least-used)"),
        };

    public static StreamFailureMode StreamFailure(ConfigReadContext context, YamlNode node, string path) =>
        YamlValues.Text(context, node, path).ToLowerInvariant() switch
        {
            "continue" => StreamFailureMode.Continue,
            "error" => StreamFailureMode.Error,
            var other => throw context.Error(
                node, path, $"unknown on_stream_failure {YamlValues.Quote(other)} (expected continue or error)"),
        };

    public static AssistantPrefill Prefill(ConfigReadContext context, YamlNode node, string path) =>
        YamlValues.Text(context, node, path).ToLowerInvariant() switch
        {
            "message" => AssistantPrefill.Message,
            "prefix" => AssistantPrefill.PrefixFlag,
            "none" => AssistantPrefill.None,
            var other => throw context.Error(
                node, path, $"unknown prefill {YamlValues.Quote(other)} (expected message, prefix or none)"),
        };

    public static RateLimitScheme Scheme(ConfigReadContext context, YamlNode node, string path) =>
        YamlValues.Text(context, node, path).ToLowerInvariant() switch
        {
            "none" => RateLimitScheme.None,
            "openai" => RateLimitScheme.OpenAI,
            "groq" => RateLimitScheme.Groq,
            "mistral" => RateLimitScheme.Mistral,
            "openrouter" => RateLimitScheme.OpenRouter,
            "anthropic" => RateLimitScheme.Anthropic,
            "gemini" => RateLimitScheme.Gemini,
            var other => throw context.Error(
                node, path, $"unknown scheme {YamlValues.Quote(other)} (expected none, openai, groq, mistral, openrouter, anthropic or gemini)"),
        };

    public static DailyResetRule DailyReset(ConfigReadContext context, YamlNode node, string path) =>
        YamlValues.Text(context, node, path).ToLowerInvariant() switch
        {
            "utc_midnight" => DailyResetRule.UtcMidnight,
            "pacific_midnight" => DailyResetRule.PacificMidnight,
            var other => throw context.Error(node, path, $"unknown daily reset {YamlValues.Quote(other)} (expected utc_midnight or pacific_midnight)"),
        };

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
