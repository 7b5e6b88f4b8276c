using System.Text.Json.Nodes;

namespace Spillway.Core.Tests.Chat;

/// <summary>Compares JSON by meaning: property order and insignificant whitespace do not matter.</summary>
internal static class JsonAssert
{
    public static void Equal(string expected, string actual, Func<JsonNode?, JsonNode?>? normalize = null)
    {
        var left = JsonNode.Parse(expected);
        var right = JsonNode.Parse(actual);
        if (normalize is not null)
        {
            left = normalize(left);
            right = normalize(right);
        }

        Assert.True(
            JsonNode.DeepEquals(left, right),
            $"JSON differs.\nExpected: {left?.ToJsonString()}\nActual:   {right?.ToJsonString()}");
    }

    /// <summary>
    /// Removes Anthropic cache counters that are zero: older recordings omit them, newer ones send 0, and both
    /// mean no cache was used.
    /// </summary>
    public static JsonNode? WithoutZeroCacheCounters(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in new[] { "cache_creation_input_tokens", "cache_read_input_tokens" })
                {
                    if (obj[name] is JsonValue value && value.GetValue<long>() == 0)
                    {
                        obj.Remove(name);
                    }
                }

                foreach (var property in obj.ToList())
                {
                    WithoutZeroCacheCounters(property.Value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    WithoutZeroCacheCounters(item);
                }

                break;
        }

        return node;
    }

    /// <summary>The body of a recorded response file: what follows the first blank line.</summary>
    public static string BodyOf(string recording)
    {
        var normalized = recording.Replace("\r\n", "\n", StringComparison.Ordinal);
        return normalized[(normalized.IndexOf("\n\n", StringComparison.Ordinal) + 2)..];
    }
}
