using System.Runtime.InteropServices;
using System.Text.Json;

namespace Spillway.Core.Chat;

/// <summary>Small typed reads from a parsed body, shared by the codecs' request and response decoders.</summary>
internal static class JsonElementReader
{
    /// <summary>
    /// Parses a request body and hands its top-level object to <paramref name="decode"/>; a body that is not JSON, or
    /// not an object, is a 400-kind error saying so.
    /// </summary>
    public static ChatResult<T> DecodeObject<T>(ReadOnlyMemory<byte> body, Func<JsonElement, ChatResult<T>> decode)
        where T : class
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return new ChatResult<T>(ChatError.InvalidRequest("The request body is not valid JSON: " + ex.Message));
        }

        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? decode(document.RootElement)
                : new ChatResult<T>(ChatError.InvalidRequest("The request body must be a JSON object."));
        }
    }

    /// <summary>The element's exact bytes, copied so they outlive the document.</summary>
    public static RawJson Raw(JsonElement element) => new(JsonMarshal.GetRawUtf8Value(element).ToArray());

    /// <summary>The element's exact bytes as text: tool arguments keep their spelling.</summary>
    public static string RawText(JsonElement element) => element.GetRawText();

    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value) &&
            value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>The string property <paramref name="name"/>, or null when it is absent, null or not a string.</summary>
    public static string? String(JsonElement obj, string name) =>
        TryGet(obj, name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static bool? Bool(JsonElement obj, string name) =>
        TryGet(obj, name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    public static long? Long(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out var value) || value.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        if (value.TryGetInt64(out var whole))
        {
            return whole;
        }

        // Some hosts print counts as floats ("30.0").
        return value.TryGetDouble(out var real) && double.IsFinite(real) ? (long)real : null;
    }

    public static int? Int(JsonElement obj, string name)
    {
        var value = Long(obj, name);
        return value is null ? null : (int)Math.Clamp(value.Value, int.MinValue, int.MaxValue);
    }

    /// <summary>A finite number; a literal beyond double's range (<c>1e400</c>) reads as infinity, which no JSON writer takes.</summary>
    public static double? Double(JsonElement obj, string name) =>
        TryGet(obj, name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : null;

    /// <summary>A JSON string value as the raw bytes of a JSON string, for extensions built from strings.</summary>
    public static RawJson Quoted(string value) => new(JsonSerializer.SerializeToUtf8Bytes(value, ChatJsonContext.Default.String));
}
