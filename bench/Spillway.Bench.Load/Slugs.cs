namespace Spillway.Bench.Load;

/// <summary>File-name-safe forms of target names, for their config folders and log files.</summary>
internal static class Slugs
{
    public static string Of(string name) =>
        new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')]);
}
