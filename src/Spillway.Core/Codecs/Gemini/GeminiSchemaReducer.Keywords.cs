using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>The keyword rules of <see cref="GeminiSchemaReducer"/>: writing one folded schema.</summary>
internal sealed partial class GeminiSchemaReducer
{
    private ChatError? WriteBag(
        Utf8JsonWriter writer, GeminiSchemaBag bag, List<JsonElement>? branches, bool nullable, int depth)
    {
        var (type, typeError) = ReduceType(bag, ref nullable);
        if (typeError is not null)
        {
            return typeError;
        }

        writer.WriteStartObject();
        if (type is not null)
        {
            writer.WriteString("type"u8, type);
        }

        foreach (var (name, value) in bag.Items)
        {
            var error = WriteKeyword(writer, name, value, bag, ref nullable, depth);
            if (error is not null)
            {
                return error;
            }
        }

        if (branches is not null)
        {
            writer.WriteStartArray("anyOf"u8);
            foreach (var branch in branches)
            {
                var error = WriteSchema(writer, branch, depth + 1);
                if (error is not null)
                {
                    return error;
                }
            }

            writer.WriteEndArray();
        }

        if (nullable && !bag.Has("nullable"))
        {
            writer.WriteBoolean("nullable"u8, true);
        }

        writer.WriteEndObject();
        return null;
    }

    private ChatError? WriteKeyword(
        Utf8JsonWriter writer, string name, JsonElement value, GeminiSchemaBag bag, ref bool nullable, int depth)
    {
        switch (name)
        {
            case "type" or "$defs" or "definitions":
                return null;
            case "properties" when value.ValueKind == JsonValueKind.Object:
                writer.WriteStartObject("properties"u8);
                foreach (var property in value.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    var error = WriteSchema(writer, property.Value, depth + 1);
                    if (error is not null)
                    {
                        return error;
                    }
                }

                writer.WriteEndObject();
                return null;
            case "items" when value.ValueKind is JsonValueKind.Object or JsonValueKind.True:
                writer.WritePropertyName("items"u8);
                return WriteSchema(writer, value, depth + 1);
            case "items":
                return Fail("gives items as a list or as false");
            case "const" when value.ValueKind == JsonValueKind.String && !bag.Has("enum"):
                writer.WriteStartArray("enum"u8);
                writer.WriteStringValue(value.GetString());
                writer.WriteEndArray();
                return null;
            case "enum" when value.ValueKind == JsonValueKind.Array:
                WriteEnum(writer, value, ref nullable);
                return null;
            case "format" when value.ValueKind == JsonValueKind.String && Formats.Contains(value.GetString()):
            case "nullable" when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                writer.WritePropertyName(name);
                value.WriteTo(writer);
                return null;
            default:
                if (Copied.Contains(name))
                {
                    writer.WritePropertyName(name);
                    value.WriteTo(writer);
                }
                else
                {
                    _hints.Add("schema." + name);
                }

                return null;
        }
    }

    private void WriteEnum(Utf8JsonWriter writer, JsonElement values, ref bool nullable)
    {
        var hasNull = false;
        foreach (var item in values.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Null)
            {
                hasNull = true;
            }
            else if (item.ValueKind != JsonValueKind.String)
            {
                _hints.Add("schema.enum");
                return;
            }
        }

        nullable |= hasNull;
        writer.WriteStartArray("enum"u8);
        foreach (var item in values.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                item.WriteTo(writer);
            }
        }

        writer.WriteEndArray();
    }

    private (string? Type, ChatError? Error) ReduceType(GeminiSchemaBag bag, ref bool nullable)
    {
        if (!bag.TryGet("type", out var value))
        {
            return (null, null);
        }

        var names = new List<string>();
        if (value.ValueKind == JsonValueKind.String)
        {
            names.Add(value.GetString()!);
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            names.AddRange(value.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText()));
        }

        nullable |= names.RemoveAll(x => x == "null") > 0;
        if (names.Count > 1)
        {
            return (null, Fail($"allows several types ({string.Join(", ", names)})"));
        }

        if (names.Count == 0)
        {
            return (null, null);
        }

        var type = names[0].ToLowerInvariant();
        return Types.Contains(type) ? (type.ToUpperInvariant(), null) : (null, Fail($"has the unknown type '{names[0]}'"));
    }
}
