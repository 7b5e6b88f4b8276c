using System.Text.Json.Nodes;

namespace Spillway.Simulator.Tests;

/// <summary>The recorded error samples of shared/fixtures, by the start of their "kind" text.</summary>
internal static class FixtureSamples
{
    public static JsonNode Sample(string fixture, string kindStart)
    {
        var samples = JsonNode.Parse(Spillway.TestSupport.Fixtures.ReadText(fixture))!["samples"]!.AsArray();
        return samples.First(sample => ((string)sample!["kind"]!).StartsWith(kindStart, StringComparison.Ordinal))!;
    }

    public static bool DeepEquals(JsonNode? expected, JsonNode? actual) => JsonNode.DeepEquals(expected, actual);
}
