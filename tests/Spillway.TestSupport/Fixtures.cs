namespace Spillway.TestSupport;

/// <summary>
/// Finds the recorded provider payloads (shared/fixtures) that live beside the repository checkout.
/// SPILLWAY_FIXTURES overrides the search.
/// </summary>
public static class Fixtures
{
    private static readonly Lazy<string> Root = new(Locate);

    public static string Directory => Root.Value;

    public static string PathOf(string name) => System.IO.Path.Combine(Root.Value, name);

    public static string ReadText(string name) => File.ReadAllText(PathOf(name));

    public static byte[] ReadBytes(string name) => File.ReadAllBytes(PathOf(name));

    private static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("SPILLWAY_FIXTURES");
        if (!string.IsNullOrEmpty(fromEnv) && System.IO.Directory.Exists(fromEnv))
        {
            return fromEnv;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "fixtures");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            "shared/fixtures was not found above " + AppContext.BaseDirectory + "; set SPILLWAY_FIXTURES.");
    }
}
