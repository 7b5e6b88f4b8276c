using System.Text.RegularExpressions;
using Spillway.Core.Chat;
using Spillway.Core.Configuration;
using Spillway.Core.Configuration.Loading;

namespace Spillway.Core.Tests.Configuration.Loading;

/// <summary>
/// Every <c>```yaml</c> block of the repository's README.md loads through the real config loader, with each variable
/// it names under <c>env:</c> set, so the examples users copy cannot rot. A block whose first line is
/// <c># fragment</c> is only a fragment and is skipped.
/// </summary>
public sealed partial class ReadmeConfigExamplesTests
{
    private const string FragmentMarker = "# fragment";

    private static readonly Lazy<List<YamlExample>> Examples = new(ReadExamples);

    public static TheoryData<int> ExampleNumbers()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Examples.Value.Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExampleNumbers))]
    public void Parse_ReadmeYamlBlock_LoadsThroughTheConfigLoader(int number)
    {
        var example = Examples.Value[number];
        if (example.IsFragment)
        {
            return;
        }

        var config = Load(example);

        Assert.NotEmpty(config.Providers);
    }

    [Fact]
    public void Parse_ReadmeYamlBlocks_ShowACustomProviderOfEveryFormat()
    {
        var custom = Examples.Value
            .Where(e => !e.IsFragment)
            .SelectMany(e => Load(e).Providers)
            .Where(p => p.Preset is null)
            .ToList();

        Assert.Equal(
            [WireFormat.OpenAI, WireFormat.Anthropic, WireFormat.Gemini],
            custom.Select(p => p.Format).Distinct().Order());
        Assert.All(custom, p => Assert.NotEmpty(p.Keys));
    }

    [Fact]
    public void ReadExamples_Readme_FindsTheConfigureAndCustomProviderBlocks() =>
        Assert.True(Examples.Value.Count(e => !e.IsFragment) >= 2, $"README.md has {Examples.Value.Count} yaml blocks");

    private static SpillwayConfig Load(YamlExample example)
    {
        var environment = EnvReference().Matches(example.Yaml)
            .Select(m => m.Groups["name"].Value)
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(name => name, name => (string?)("test-value-of-" + name), StringComparer.Ordinal);
        try
        {
            return ConfigLoader.Parse(example.Yaml, $"README.md line {example.Line}", environment);
        }
        catch (ConfigException error)
        {
            Assert.Fail($"The README's yaml block at line {example.Line} does not load: {error.Message}");
            throw;
        }
    }

    private static List<YamlExample> ReadExamples()
    {
        var lines = File.ReadAllLines(Path.Combine(FindRepoRoot(), "README.md"));
        var examples = new List<YamlExample>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() != "```yaml")
            {
                continue;
            }

            var start = i + 1;
            var end = start;
            while (end < lines.Length && lines[end].TrimEnd() != "```")
            {
                end++;
            }

            var yaml = string.Join('\n', lines[start..end]);
            examples.Add(new YamlExample(start + 1, yaml, yaml.TrimStart().StartsWith(FragmentMarker, StringComparison.Ordinal)));
            i = end;
        }

        return examples;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Spillway.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Spillway.slnx was not found above " + AppContext.BaseDirectory + ".");
    }

    [GeneratedRegex(@"\benv:\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex EnvReference();

    private sealed record YamlExample(int Line, string Yaml, bool IsFragment);
}
