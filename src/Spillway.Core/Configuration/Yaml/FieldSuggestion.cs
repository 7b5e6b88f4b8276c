namespace Spillway.Core.Configuration.Yaml;

/// <summary>"Did you mean" for misspelt field, preset and provider names.</summary>
internal static class FieldSuggestion
{
    /// <summary>The closest candidate when it is close enough to be a likely typo; otherwise null.</summary>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        var wanted = Normalize(input);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(wanted, Normalize(candidate));
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        // Up to two edits, fewer for short names: "rpm" vs "tpm" is a real difference, "base_ulr" a typo.
        var allowed = Math.Clamp(wanted.Length / 3, 1, 2);
        return bestDistance <= allowed ? best : null;
    }

    /// <summary><c> (did you mean 'x'?)</c> or an empty string.</summary>
    public static string Hint(string input, IEnumerable<string> candidates) =>
        Closest(input, candidates) is { } match ? $" (did you mean '{match}'?)" : string.Empty;

    // camelCase and kebab-case spellings of a snake_case field count as the same word.
    private static string Normalize(string name) =>
        name.Replace("_", string.Empty, StringComparison.Ordinal)
            .Replace("-", string.Empty, StringComparison.Ordinal)
            .ToLowerInvariant();

    private static int Distance(string a, string b)
    {
        // Optimal string alignment: Levenshtein plus adjacent transpositions ("opneai").
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
