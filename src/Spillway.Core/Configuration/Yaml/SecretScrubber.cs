using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Spillway.Core.Configuration.Yaml;

/// <summary>
/// The secrets of one config document, found before any field is interpreted, so that no error message can
/// carry one, whichever field the error is about (a key pasted into a route, a token in a wrong place).
/// </summary>
internal sealed class SecretScrubber
{
    private const string Mask = "***";

    // Short values cannot be told from the words of a message: below 8 characters a value is masked only as a
    // whole word ("team" must not turn "teams" into "***s"), below 4 not at all ("a" is in every sentence).
    // No real key is that short; these are test and placeholder values.
    private const int WordOnlyBelow = 8;
    private const int IgnoredBelow = 4;

    private readonly List<string> _secrets = [];

    /// <summary>Collects every scalar under a secret-bearing field, and the values of the variables <c>env:</c> names.</summary>
    public static SecretScrubber Collect(YamlNode? root, IReadOnlyDictionary<string, string?> environment)
    {
        var scrubber = new SecretScrubber();
        if (root is not null)
        {
            scrubber.Walk(root, environment, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));
        }

        return scrubber;
    }

    public void Add(string? secret)
    {
        if (!string.IsNullOrEmpty(secret) && !_secrets.Contains(secret, StringComparer.Ordinal))
        {
            _secrets.Add(secret);
            // Longest first, so a secret that contains another is masked whole.
            _secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
        }
    }

    public string Scrub(string text)
    {
        foreach (var secret in _secrets.Where(s => s.Length >= IgnoredBelow))
        {
            text = secret.Length >= WordOnlyBelow
                ? text.Replace(secret, Mask, StringComparison.Ordinal)
                : Regex.Replace(text, $"(?<![A-Za-z0-9]){Regex.Escape(secret)}(?![A-Za-z0-9])", Mask, RegexOptions.CultureInvariant);
        }

        return text;
    }

    private void AddScalars(YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode { Value: { } text }:
                Add(text);
                Add(text.Trim());
                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children.OfType<YamlScalarNode>())
                {
                    AddScalars(item);
                }

                break;
        }
    }

    private void Walk(YamlNode node, IReadOnlyDictionary<string, string?> environment, HashSet<YamlNode> seen)
    {
        // Aliases make the representation a graph; each node is visited once.
        if (!seen.Add(node))
        {
            return;
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: { } name } && value is YamlScalarNode { Value: { } text })
                    {
                        if (name is "value" or "admin_token" or "redis" or "postgres")
                        {
                            Add(text);
                            Add(text.Trim());
                        }
                        else if (name == "env" && environment.TryGetValue(text.Trim(), out var variable))
                        {
                            Add(variable);
                            Add(variable?.Trim());
                        }
                    }

                    // `keys: [gsk_…]` (the key where a mapping belongs) is a likely slip; its items are secrets too.
                    if (key is YamlScalarNode { Value: "keys" or "clients" })
                    {
                        AddScalars(value);
                    }

                    Walk(value, environment, seen);
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var child in sequence.Children)
                {
                    Walk(child, environment, seen);
                }

                break;
        }
    }
}
