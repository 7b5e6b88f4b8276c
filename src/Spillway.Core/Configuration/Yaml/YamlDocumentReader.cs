using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Spillway.Core.Configuration.Yaml;

/// <summary>Turns YAML text into a node tree, reporting syntax errors with YamlDotNet's marks.</summary>
internal static class YamlDocumentReader
{
    /// <summary>The single document's root node; null for an empty file (or one holding only comments).</summary>
    public static YamlNode? ReadRoot(string yaml, string sourceName)
    {
        var scanner = new Scanner(new StringReader(yaml));
        var stream = new YamlStream();
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            throw new ConfigException(sourceName, Int(e.Start.Line), Int(e.Start.Column), null, $"invalid YAML: {Sentence(e.Message)}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this, without a mark, on some broken flow collections ("[1, 2" with no "]").
            var at = scanner.CurrentPosition;
            throw new ConfigException(sourceName, Int(at.Line), Int(at.Column), null, "invalid YAML: unclosed or broken [ ] or { } collection", e);
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode;
            throw new ConfigException(sourceName, Int(second.Start.Line), Int(second.Start.Column), null, $"expected one YAML document, found {stream.Documents.Count}");
        }

        var root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        return root is null || YamlValues.IsNull(root) ? null : root;
    }

    // YamlDotNet's messages end with a period; ours continue after the text, so the period goes.
    private static string Sentence(string message)
    {
        var text = message.Trim();
        return text.EndsWith('.') ? text[..^1] : text;
    }

    private static int Int(long value) => (int)Math.Clamp(value, 0, int.MaxValue);
}
