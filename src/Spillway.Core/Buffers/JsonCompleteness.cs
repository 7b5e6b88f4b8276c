using System.Text.Json;

namespace Spillway.Core.Buffers;

/// <summary>Whether a body is one whole JSON value: a connection cut mid-body must not pass for an answer.</summary>
public static class JsonCompleteness
{
    /// <summary>True when <paramref name="body"/> is exactly one complete JSON value (surrounding whitespace allowed).</summary>
    public static bool IsComplete(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            if (!reader.Read())
            {
                return false;
            }

            reader.Skip();
            // A second top-level value, or trailing garbage, makes Read throw or return true.
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
