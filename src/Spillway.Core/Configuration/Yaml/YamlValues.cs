using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Spillway.Core.Configuration.Yaml;

/// <summary>Scalar conversions with config-grade errors. Every conversion names the field and the bad value.</summary>
internal static class YamlValues
{
    /// <summary>YAML's null: an untagged plain scalar that is empty, <c>~</c> or <c>null</c>.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" } scalar
        && (scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific);

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ when IsNull(node) => "nothing",
        YamlScalarNode { Value: { } value } => Quote(value),
        _ => "an unreadable value",
    };

    /// <summary>
    /// The value in quotes for a message, unless it looks like a credential: a key pasted into the wrong field is
    /// not known to the scrubber, and must not be echoed into a log either.
    /// </summary>
    public static string Quote(string value) =>
        LooksLikeCredential(value) ? "<hidden: looks like a key>" : $"'{value}'";

    /// <summary>
    /// True for text with a long run of letters and digits mixed: API keys have one (gsk_…, sk-proj-…, AIza…, ghp_…),
    /// model and field names do not (their words are short and split by '-', '.', '_' or '/').
    /// </summary>
    public static bool LooksLikeCredential(string value)
    {
        const int longRun = 16;
        var run = 0;
        var letters = false;
        var digits = false;
        foreach (var c in value)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                run++;
                letters |= char.IsAsciiLetter(c);
                digits |= char.IsAsciiDigit(c);
                if (run >= longRun && letters && digits)
                {
                    return true;
                }
            }
            else
            {
                (run, letters, digits) = (0, false, false);
            }
        }

        return false;
    }

    /// <summary>Non-empty text (whitespace around it trimmed).</summary>
    public static string Text(ConfigReadContext context, YamlNode node, string path)
    {
        if (node is not YamlScalarNode { Value: { } value })
        {
            throw context.Error(node, path, $"expected text, got {Describe(node)}");
        }

        var trimmed = value.Trim();
        return trimmed.Length == 0 ? throw context.Error(node, path, "must not be empty") : trimmed;
    }

    public static bool Bool(ConfigReadContext context, YamlNode node, string path)
    {
        var text = Scalar(context, node, path, "true or false");
        return text.ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            _ => throw context.Error(node, path, $"expected true or false, got {Quote(text)}"),
        };
    }

    public static long WholeNumber(ConfigReadContext context, YamlNode node, string path, long max)
    {
        var text = Scalar(context, node, path, "a whole number");
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw context.Error(node, path, $"expected a whole number, got {Quote(text)}");
        }

        if (value < 0)
        {
            throw context.Error(node, path, $"must not be negative, got {text}");
        }

        return value > max ? throw context.Error(node, path, $"must be at most {max}, got {text}") : value;
    }

    /// <summary>A non-negative decimal amount (prices, budgets).</summary>
    public static decimal Amount(ConfigReadContext context, YamlNode node, string path)
    {
        var text = Scalar(context, node, path, "a number");
        const NumberStyles style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (!decimal.TryParse(text, style, CultureInfo.InvariantCulture, out var value))
        {
            throw context.Error(node, path, $"expected a number, got {Quote(text)}");
        }

        return value < 0 ? throw context.Error(node, path, $"must not be negative, got {text}") : value;
    }

    /// <summary>A positive number of seconds, at most a day (beyond that it is a typo, and TimeSpan would overflow).</summary>
    public static TimeSpan Seconds(ConfigReadContext context, YamlNode node, string path)
    {
        var text = Scalar(context, node, path, "a number of seconds");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw context.Error(node, path, $"expected a number of seconds, got {Quote(text)}");
        }

        if (value <= 0)
        {
            throw context.Error(node, path, $"must be more than 0 seconds, got {text}");
        }

        return value > 86_400 ? throw context.Error(node, path, $"must be at most 86400 seconds, got {text}") : TimeSpan.FromSeconds(value);
    }

    /// <summary>An absolute http(s) URL, without a trailing slash, so format paths can be appended uniformly.</summary>
    public static Uri AbsoluteUrl(ConfigReadContext context, YamlNode node, string path)
    {
        var text = Text(context, node, path);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw context.Error(node, path, $"expected an absolute http(s) URL, got {Quote(text)}");
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw context.Error(node, path, "must not carry a query or fragment (credentials belong in keys:)");
        }

        return new Uri(text.TrimEnd('/'), UriKind.Absolute);
    }

    private static string Scalar(ConfigReadContext context, YamlNode node, string path, string expected) =>
        node is YamlScalarNode { Value: { } value } && value.Trim().Length > 0
            ? value.Trim()
            : throw context.Error(node, path, $"expected {expected}, got {Describe(node)}");
}
