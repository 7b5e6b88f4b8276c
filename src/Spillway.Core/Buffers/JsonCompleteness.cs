using System.Text;
using System.Text.Json;

namespace Spillway.Core.Buffers;

/// <summary>
/// Whether a body is one whole JSON value: a connection cut mid-body must not pass for an answer, and text a format
/// takes as a JSON object (tool arguments, a tool's output) must be exactly one.
/// </summary>
public static class JsonCompleteness
{
    /// <summary>The nesting a whole answer may have (System.Text.Json's default of 64 is too little for some tool schemas).</summary>
    public const int MaxDepth = 256;

    /// <summary>True when <paramref name="body"/> is exactly one complete JSON value (surrounding whitespace allowed).</summary>
    public static bool IsComplete(ReadOnlySpan<byte> body) => IsOneValue(body, objectOnly: false);

    /// <summary>True when <paramref name="body"/> is exactly one complete JSON object (surrounding whitespace allowed).</summary>
    public static bool IsObject(ReadOnlySpan<byte> body) => IsOneValue(body, objectOnly: true);

    /// <summary>True when <paramref name="text"/> is exactly one complete JSON object (surrounding whitespace allowed).</summary>
    public static bool IsObject(string text) => IsObject(Encoding.UTF8.GetBytes(text));

    private static bool IsOneValue(ReadOnlySpan<byte> body, bool objectOnly)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            if (!reader.Read() || (objectOnly && reader.TokenType != JsonTokenType.StartObject))
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
