using System.Globalization;
using System.Text.RegularExpressions;

namespace Spillway.Tests.Support;

/// <summary>Reads samples out of a Prometheus text exposition (what <c>GET /metrics</c> answers).</summary>
internal static partial class PrometheusText
{
    /// <summary>The sum of the samples of <paramref name="metric"/> whose labels include every one given; null when none matches.</summary>
    public static double? Sum(string exposition, string metric, params (string Name, string Value)[] labels)
    {
        double? sum = null;
        foreach (var sample in Samples(exposition, metric))
        {
            if (labels.All(l => sample.Labels.TryGetValue(l.Name, out var value) && value == l.Value))
            {
                sum = (sum ?? 0) + sample.Value;
            }
        }

        return sum;
    }

    public static IEnumerable<(Dictionary<string, string> Labels, double Value)> Samples(string exposition, string metric)
    {
        foreach (var line in exposition.Split('\n'))
        {
            var match = SampleLine().Match(line);
            if (!match.Success || match.Groups["name"].Value != metric)
            {
                continue;
            }

            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value, StringComparer.Ordinal);
            yield return (labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(\\.|[^""\\])*)""")]
    private static partial Regex LabelPair();
}
