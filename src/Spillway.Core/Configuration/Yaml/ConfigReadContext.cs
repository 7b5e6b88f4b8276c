using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Spillway.Core.Configuration.Yaml;

/// <summary>What every section reader shares: the file's name for messages, the environment, and the scrubber.</summary>
internal sealed class ConfigReadContext
{
    private readonly SecretScrubber _scrubber;

    public ConfigReadContext(string sourceName, IReadOnlyDictionary<string, string?> environment, SecretScrubber scrubber)
    {
        SourceName = sourceName;
        Environment = environment;
        _scrubber = scrubber;
    }

    public string SourceName { get; }

    public IReadOnlyDictionary<string, string?> Environment { get; }

    public ConfigException Error(YamlNode? node, string path, string problem) =>
        node is null ? Error(path, problem) : Error(node.Start, path, problem);

    public ConfigException Error(Mark mark, string path, string problem) =>
        new(SourceName, ToInt(mark.Line), ToInt(mark.Column), _scrubber.Scrub(path), _scrubber.Scrub(problem));

    public ConfigException Error(string path, string problem) =>
        new(SourceName, null, null, _scrubber.Scrub(path), _scrubber.Scrub(problem));

    /// <summary>Adds a secret learned while reading (an <c>env:</c> value), so later messages mask it too.</summary>
    public void RememberSecret(string secret) => _scrubber.Add(secret);

    public static int Line(YamlNode node) => ToInt(node.Start.Line);

    private static int ToInt(long value) => (int)Math.Clamp(value, 0, int.MaxValue);
}
