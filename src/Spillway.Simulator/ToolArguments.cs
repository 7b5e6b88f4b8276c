using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// Makes tool-call arguments that satisfy the tool's JSON Schema at the top level: every required property
/// (or every property when none is required) gets a plain value of its declared type, so a caller that
/// deserialises the arguments into its own type does not fail on the simulator's answer.
/// </summary>
internal static class ToolArguments
{
    public static string FromSchema(JsonElement schema)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (schema.ValueKind == JsonValueKind.Object
                && schema.TryGetProperty("properties", out var properties)
                && properties.ValueKind == JsonValueKind.Object)
            {
                var required = RequiredNames(schema);
                foreach (var property in properties.EnumerateObject())
                {
                    if (required.Count == 0 || required.Contains(property.Name))
                    {
                        writer.WritePropertyName(property.Name);
                        WriteSample(writer, property.Value);
                    }
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static HashSet<string> RequiredNames(JsonElement schema)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray())
            {
                if (name.ValueKind == JsonValueKind.String)
                {
                    names.Add(name.GetString()!);
                }
            }
        }

        return names;
    }

    private static void WriteSample(Utf8JsonWriter writer, JsonElement propertySchema)
    {
        if (propertySchema.ValueKind == JsonValueKind.Object
            && propertySchema.TryGetProperty("enum", out var choices)
            && choices.ValueKind == JsonValueKind.Array
            && choices.GetArrayLength() > 0)
        {
            choices[0].WriteTo(writer);
            return;
        }

        // Upper-cased because Gemini's OpenAPI-subset schemas spell the types "NUMBER", "OBJECT", ….
        switch (DeclaredType(propertySchema)?.ToUpperInvariant())
        {
            case "INTEGER":
            case "NUMBER":
                writer.WriteNumberValue(1);
                break;
            case "BOOLEAN":
                writer.WriteBooleanValue(true);
                break;
            case "ARRAY":
                writer.WriteStartArray();
                writer.WriteEndArray();
                break;
            case "OBJECT":
                writer.WriteStartObject();
                writer.WriteEndObject();
                break;
            case "NULL":
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue("simulated");
                break;
        }
    }

    /// <summary>The schema's <c>type</c>; for a type list such as <c>["string","null"]</c>, the first non-null one.</summary>
    private static string? DeclaredType(JsonElement propertySchema)
    {
        if (propertySchema.ValueKind != JsonValueKind.Object || !propertySchema.TryGetProperty("type", out var type))
        {
            return null;
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            return type.GetString();
        }

        if (type.ValueKind == JsonValueKind.Array)
        {
            foreach (var option in type.EnumerateArray())
            {
                if (option.ValueKind == JsonValueKind.String && !string.Equals(option.GetString(), "null", StringComparison.OrdinalIgnoreCase))
                {
                    return option.GetString();
                }
            }
        }

        return null;
    }
}
