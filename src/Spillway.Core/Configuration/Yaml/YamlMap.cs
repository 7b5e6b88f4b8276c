using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace Spillway.Core.Configuration.Yaml;

/// <summary>
/// One YAML mapping read as a config object: unknown fields are refused where they are written, and every typed
/// read knows its field path and the node's position, so an error can say exactly where it is.
/// </summary>
internal sealed class YamlMap
{
    private readonly Dictionary<string, (YamlNode Key, YamlNode Value)> _fields = new(StringComparer.Ordinal);

    private YamlMap(ConfigReadContext context, YamlMappingNode node, string path)
    {
        Context = context;
        Node = node;
        Path = path;
    }

    public ConfigReadContext Context { get; }

    public YamlMappingNode Node { get; }

    /// <summary>The mapping's own path, e.g. <c>providers[1]</c>; empty at the top level.</summary>
    public string Path { get; }

    public static YamlMap Open(ConfigReadContext context, YamlNode node, string path, IReadOnlyCollection<string> fields)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw context.Error(node, path, $"expected a mapping with {Describe(fields)}, got {YamlValues.Describe(node)}");
        }

        var map = new YamlMap(context, mapping, path);
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw context.Error(key, path, "field names must be plain text");
            }

            if (!fields.Contains(name))
            {
                throw context.Error(key, path, $"unknown field {YamlValues.Quote(name)}{FieldSuggestion.Hint(name, fields)}");
            }

            map._fields[name] = (key, value);
        }

        return map;
    }

    public string PathOf(string field) => Path.Length == 0 ? field : $"{Path}.{field}";

    /// <summary>The field's value; null when the field is absent or written as null (<c>~</c>, <c>null</c>, nothing).</summary>
    public YamlNode? Get(string field) =>
        _fields.TryGetValue(field, out var entry) && !YamlValues.IsNull(entry.Value) ? entry.Value : null;

    public bool Has(string field) => Get(field) is not null;

    /// <summary>An error about a field: at its value when written, else at the mapping itself.</summary>
    public ConfigException Error(string field, string problem)
    {
        YamlNode at = _fields.TryGetValue(field, out var entry) ? entry.Value : Node;
        return Context.Error(at, PathOf(field), problem);
    }

    public ConfigException Missing(string field, string why) => Context.Error(Node, PathOf(field), $"missing; {why}");

    public string? Text(string field) => Get(field) is { } node ? YamlValues.Text(Context, node, PathOf(field)) : null;

    public string RequiredText(string field, string why) => Text(field) ?? throw Missing(field, why);

    public bool? Bool(string field) => Get(field) is { } node ? YamlValues.Bool(Context, node, PathOf(field)) : null;

    public long? WholeNumber(string field, long max = long.MaxValue) =>
        Get(field) is { } node ? YamlValues.WholeNumber(Context, node, PathOf(field), max) : null;

    public decimal? Amount(string field) => Get(field) is { } node ? YamlValues.Amount(Context, node, PathOf(field)) : null;

    public TimeSpan? Seconds(string field) => Get(field) is { } node ? YamlValues.Seconds(Context, node, PathOf(field)) : null;

    public Uri? AbsoluteUrl(string field) => Get(field) is { } node ? YamlValues.AbsoluteUrl(Context, node, PathOf(field)) : null;

    /// <summary>A nested mapping, or null when the field is absent.</summary>
    public YamlMap? Map(string field, IReadOnlyCollection<string> fields) =>
        Get(field) is { } node ? Open(Context, node, PathOf(field), fields) : null;

    /// <summary>The items of a list field with their paths (<c>keys[0]</c>, …); empty when absent.</summary>
    public IReadOnlyList<(YamlNode Node, string Path)> List(string field)
    {
        if (Get(field) is not { } node)
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            throw Context.Error(node, PathOf(field), $"expected a list, got {YamlValues.Describe(node)}");
        }

        return sequence.Children.Select((item, i) => (item, $"{PathOf(field)}[{i}]")).ToList();
    }

    /// <summary>A list of non-empty texts; empty when absent.</summary>
    public ImmutableArray<string> TextList(string field) =>
        [.. List(field).Select(item => YamlValues.IsNull(item.Node)
            ? throw Context.Error(item.Node, item.Path, "expected text, got nothing")
            : YamlValues.Text(Context, item.Node, item.Path))];

    /// <summary>A mapping of names to positive whole numbers (per-model limits); empty when absent.</summary>
    public ImmutableDictionary<string, int> Counts(string field)
    {
        var counts = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        if (Get(field) is not { } node)
        {
            return counts.ToImmutable();
        }

        if (node is not YamlMappingNode mapping)
        {
            throw Context.Error(node, PathOf(field), $"expected a mapping of names to numbers, got {YamlValues.Describe(node)}");
        }

        foreach (var (key, value) in mapping.Children)
        {
            var name = YamlValues.Text(Context, key, PathOf(field));
            var path = $"{PathOf(field)}.{name}";
            var count = YamlValues.WholeNumber(Context, value, path, int.MaxValue);
            if (count == 0)
            {
                throw Context.Error(value, path, "must be at least 1");
            }

            counts[name] = (int)count;
        }

        return counts.ToImmutable();
    }

    /// <summary>A free-form mapping of text to text (headers, renames), with each entry's path; empty when absent.</summary>
    public IReadOnlyList<(string Name, string Value, YamlNode KeyNode, string Path)> Pairs(string field)
    {
        if (Get(field) is not { } node)
        {
            return [];
        }

        if (node is not YamlMappingNode mapping)
        {
            throw Context.Error(node, PathOf(field), $"expected a mapping of names to values, got {YamlValues.Describe(node)}");
        }

        var pairs = new List<(string, string, YamlNode, string)>();
        foreach (var (key, value) in mapping.Children)
        {
            var name = YamlValues.Text(Context, key, PathOf(field));
            var path = $"{PathOf(field)}.{name}";
            pairs.Add((name, YamlValues.Text(Context, value, path), key, path));
        }

        return pairs;
    }

    private static string Describe(IReadOnlyCollection<string> fields) =>
        fields.Count == 1 ? $"the field {fields.First()}" : $"fields {string.Join(", ", fields)}";
}
