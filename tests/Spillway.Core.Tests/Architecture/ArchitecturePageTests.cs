using System.Text.RegularExpressions;

namespace Spillway.Core.Tests.Architecture;

/// <summary>
/// src/Spillway.Core/README.md, the architecture page, stays true: its layer table is the one the layer test
/// enforces, and every file or folder it cites exists.
/// </summary>
public sealed partial class ArchitecturePageTests
{
    private static readonly Lazy<string> RepoRoot = new(FindRepoRoot);

    private static string CoreDirectory => Path.Combine(RepoRoot.Value, "src", "Spillway.Core");

    private static string Page => File.ReadAllText(Path.Combine(CoreDirectory, "README.md"));

    [Fact]
    public void LayerTable_OnThePage_IsTheOneTheLayerTestEnforces()
    {
        var onPage = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match row in LayerRow().Matches(Page))
        {
            var layer = int.Parse(row.Groups["layer"].Value, System.Globalization.CultureInfo.InvariantCulture);
            foreach (Match name in CodeSpan().Matches(row.Groups["names"].Value))
            {
                onPage.Add("Spillway.Core." + name.Groups["text"].Value, layer);
            }
        }

        Assert.Equal(
            CoreLayerTests.Layers.LayerOf.OrderBy(p => p.Key, StringComparer.Ordinal),
            onPage.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void CitedPaths_OnThePage_Exist()
    {
        var missing = CodeSpan().Matches(Page)
            .Select(m => m.Groups["text"].Value)
            .Where(IsPath)
            .Where(path => !File.Exists(Resolve(path)) && !Directory.Exists(Resolve(path)))
            .ToList();

        Assert.True(missing.Count == 0, "The architecture page cites paths that do not exist: " + string.Join(", ", missing));
    }

    // A cited path names a .cs/.md/.yaml file or a folder ("Planning/"); patterns ("Codecs/*/…Encoder.cs") are prose.
    private static bool IsPath(string text) =>
        !text.Contains(' ', StringComparison.Ordinal) && !text.Contains('*', StringComparison.Ordinal) &&
        !text.Contains('…', StringComparison.Ordinal) &&
        (text.EndsWith(".cs", StringComparison.Ordinal) || text.EndsWith(".md", StringComparison.Ordinal) ||
         text.EndsWith(".yaml", StringComparison.Ordinal) || text.EndsWith(".txt", StringComparison.Ordinal) ||
         (text.Contains('/', StringComparison.Ordinal) && !text.Contains('.', StringComparison.Ordinal)));

    // Paths from src/ or tests/ are from the repository root; the rest from src/Spillway.Core.
    private static string Resolve(string path) =>
        path.StartsWith("src/", StringComparison.Ordinal) || path.StartsWith("tests/", StringComparison.Ordinal)
            ? Path.Combine(RepoRoot.Value, path)
            : Path.Combine(CoreDirectory, path);

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

    [GeneratedRegex(@"^\| (?<layer>\d+) \| (?<names>[^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex LayerRow();

    [GeneratedRegex(@"`(?<text>[^`]+)`")]
    private static partial Regex CodeSpan();
}
