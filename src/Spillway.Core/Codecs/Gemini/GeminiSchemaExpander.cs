using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Turns a Gemini <c>Schema</c> (OpenAPI subset: upper-case types, <c>nullable</c>) into the JSON Schema the
/// canonical model holds, so a tool declared by a Gemini client can go to any upstream.
/// </summary>
/// <remarks>
/// Only two things change: <c>type</c> is lower-cased, and <c>nullable: true</c> becomes a type list with
/// <c>"null"</c> (or a <c>{"type":"null"}</c> branch of <c>anyOf</c>). Every other keyword is copied as it is;
/// <see cref="GeminiSchemaReducer"/> undoes exactly this, so a Gemini schema survives the round trip.
/// </remarks>
internal static class GeminiSchemaExpander
{
    private const int MaxDepth = 64;

    public static RawJson ToJsonSchema(RawJson geminiSchema)
    {
        try
        {
            using var document = JsonDocument.Parse(geminiSchema.Utf8);
            return new RawJson(GeminiJson.Build(writer => Write(writer, document.RootElement, 0), geminiSchema.Utf8.Length + 16));
        }
        catch (JsonException)
        {
            // Not JSON: passed on as it came, for the upstream to refuse in its own words.
            return geminiSchema;
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonElement schema, int depth)
    {
        if (schema.ValueKind != JsonValueKind.Object || depth > MaxDepth)
        {
            schema.WriteTo(writer);
            return;
        }

        var nullable = schema.TryGetProperty("nullable", out var flag) && flag.ValueKind == JsonValueKind.True;
        var typed = schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            && !type.ValueEquals("TYPE_UNSPECIFIED");
        writer.WriteStartObject();
        foreach (var property in schema.EnumerateObject())
        {
            switch (property.Name)
            {
                case "nullable":
                    break;
                case "type" when typed:
                    var name = property.Value.GetString()!.ToLowerInvariant();
                    writer.WritePropertyName("type"u8);
                    if (nullable && name != "null")
                    {
                        writer.WriteStartArray();
                        writer.WriteStringValue(name);
                        writer.WriteStringValue("null"u8);
                        writer.WriteEndArray();
                    }
                    else
                    {
                        writer.WriteStringValue(name);
                    }

                    break;
                case "type":
                    break;
                case "properties" when property.Value.ValueKind == JsonValueKind.Object:
                    writer.WriteStartObject("properties"u8);
                    foreach (var child in property.Value.EnumerateObject())
                    {
                        writer.WritePropertyName(child.Name);
                        Write(writer, child.Value, depth + 1);
                    }

                    writer.WriteEndObject();
                    break;
                case "items":
                    writer.WritePropertyName("items"u8);
                    Write(writer, property.Value, depth + 1);
                    break;
                case "anyOf" when property.Value.ValueKind == JsonValueKind.Array:
                    writer.WriteStartArray("anyOf"u8);
                    foreach (var branch in property.Value.EnumerateArray())
                    {
                        Write(writer, branch, depth + 1);
                    }

                    if (nullable && !typed)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("type"u8, "null"u8);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    property.WriteTo(writer);
                    break;
            }
        }

        writer.WriteEndObject();
    }
}
