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

    public static RawJson ToJsonSchema(RawJson geminiSchema) => Rewrite(geminiSchema, openApi: true);

    /// <summary>
    /// A JSON Schema as Gemini takes it (<c>responseJsonSchema</c>), where Gemini also accepts its own upper-case
    /// type names: Gemini CLI's router sends <c>{"type":"OBJECT","properties":{"complexity_score":{"type":"INTEGER"}}}</c>,
    /// which any other upstream refuses. Only a <c>type</c> name is lower-cased; a list of types, <c>nullable</c> and
    /// every other keyword are copied as they are.
    /// </summary>
    public static RawJson LowerCaseTypes(RawJson jsonSchema) => Rewrite(jsonSchema, openApi: false);

    private static RawJson Rewrite(RawJson schema, bool openApi)
    {
        try
        {
            using var document = JsonDocument.Parse(schema.Utf8);
            return new RawJson(GeminiJson.Build(writer => Write(writer, document.RootElement, 0, openApi), schema.Utf8.Length + 16));
        }
        catch (JsonException)
        {
            // Not JSON: passed on as it came, for the upstream to refuse in its own words.
            return schema;
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonElement schema, int depth, bool openApi)
    {
        if (schema.ValueKind != JsonValueKind.Object || depth > MaxDepth)
        {
            schema.WriteTo(writer);
            return;
        }

        var nullable = openApi && schema.TryGetProperty("nullable", out var flag) && flag.ValueKind == JsonValueKind.True;
        var typed = schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            && !type.ValueEquals("TYPE_UNSPECIFIED");
        writer.WriteStartObject();
        foreach (var property in schema.EnumerateObject())
        {
            switch (property.Name)
            {
                case "nullable" when openApi:
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
                case "type" when openApi:
                    break;
                case "properties" when property.Value.ValueKind == JsonValueKind.Object:
                    writer.WriteStartObject("properties"u8);
                    foreach (var child in property.Value.EnumerateObject())
                    {
                        writer.WritePropertyName(child.Name);
                        Write(writer, child.Value, depth + 1, openApi);
                    }

                    writer.WriteEndObject();
                    break;
                case "items":
                    writer.WritePropertyName("items"u8);
                    Write(writer, property.Value, depth + 1, openApi);
                    break;
                case "anyOf" when property.Value.ValueKind == JsonValueKind.Array:
                    writer.WriteStartArray("anyOf"u8);
                    foreach (var branch in property.Value.EnumerateArray())
                    {
                        Write(writer, branch, depth + 1, openApi);
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
