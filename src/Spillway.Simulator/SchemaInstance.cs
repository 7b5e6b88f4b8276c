using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// Makes a minimal JSON value valid against a JSON Schema (or Gemini's OpenAPI-subset schema, whose types are
/// upper-case): objects get every required property (every property when none is required), numbers respect
/// <c>minimum</c>/<c>maximum</c>, arrays get <c>minItems</c> items, <c>enum</c> takes its first value, <c>const</c>
/// its value, <c>anyOf</c>/<c>oneOf</c> their first branch, and <c>$ref</c> follows <c>#/$defs/…</c> or
/// <c>#/definitions/…</c>. Strings say <see cref="Marker"/>, so a structured answer still says it is simulated.
/// </summary>
internal static class SchemaInstance
{
    /// <summary>The text every generated string carries.</summary>
    public const string Marker = "simulated";

    /// <summary>Deep enough for real response types; a recursive schema stops here with an empty value.</summary>
    private const int MaxDepth = 16;

    /// <summary>The instance as JSON text; a missing or non-object schema gives <c>{}</c>.</summary>
    public static string Generate(JsonElement schema) => Write(writer => WriteValue(writer, schema, schema, 0, topLevelObject: false));

    /// <summary>
    /// An object instance: like <see cref="Generate"/>, but always a JSON object (tool arguments, which every
    /// provider requires to be an object).
    /// </summary>
    public static string GenerateObject(JsonElement schema) => Write(writer => WriteValue(writer, schema, schema, 0, topLevelObject: true));

    /// <summary>The answer to a request for "some JSON object" without a schema: <c>{"answer": text}</c>.</summary>
    public static string AnswerObject(string text) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("answer", text);
        writer.WriteEndObject();
    });

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonElement schema, JsonElement root, int depth, bool topLevelObject)
    {
        schema = Resolve(schema, root);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            WriteEmptyOf(writer, topLevelObject ? "OBJECT" : null);
            return;
        }

        if (!topLevelObject)
        {
            if (schema.TryGetProperty("const", out var constant))
            {
                constant.WriteTo(writer);
                return;
            }

            if (schema.TryGetProperty("enum", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
            {
                choices[0].WriteTo(writer);
                return;
            }
        }

        foreach (var combinator in (ReadOnlySpan<string>)["anyOf", "oneOf", "allOf"])
        {
            if (schema.TryGetProperty(combinator, out var branches) && branches.ValueKind == JsonValueKind.Array && branches.GetArrayLength() > 0
                && DeclaredType(schema) is null && !schema.TryGetProperty("properties", out _))
            {
                WriteValue(writer, FirstNonNullBranch(branches, root), root, depth + 1, topLevelObject);
                return;
            }
        }

        var type = topLevelObject ? "OBJECT" : DeclaredType(schema)?.ToUpperInvariant();
        type ??= schema.TryGetProperty("properties", out _) ? "OBJECT" : schema.TryGetProperty("items", out _) ? "ARRAY" : "STRING";
        if (depth >= MaxDepth)
        {
            WriteEmptyOf(writer, type);
            return;
        }

        switch (type)
        {
            case "OBJECT":
                WriteObject(writer, schema, root, depth);
                break;
            case "ARRAY":
                writer.WriteStartArray();
                var count = Number(schema, "minItems") is { } minItems ? (int)Math.Clamp(minItems, 0, 100) : 0;
                var items = schema.TryGetProperty("items", out var itemSchema) ? itemSchema : default;
                for (var i = 0; i < count; i++)
                {
                    WriteValue(writer, items, root, depth + 1, topLevelObject: false);
                }

                writer.WriteEndArray();
                break;
            case "INTEGER":
            case "NUMBER":
                WriteNumber(writer, schema, type == "INTEGER");
                break;
            case "BOOLEAN":
                writer.WriteBooleanValue(true);
                break;
            case "NULL":
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue(SampleString(schema));
                break;
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, JsonElement schema, JsonElement root, int depth)
    {
        writer.WriteStartObject();
        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            var required = RequiredNames(schema);
            foreach (var property in properties.EnumerateObject())
            {
                if (required.Count == 0 || required.Contains(property.Name))
                {
                    writer.WritePropertyName(property.Name);
                    WriteValue(writer, property.Value, root, depth + 1, topLevelObject: false);
                }
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteEmptyOf(Utf8JsonWriter writer, string? type)
    {
        switch (type)
        {
            case "ARRAY":
                writer.WriteStartArray();
                writer.WriteEndArray();
                break;
            case "OBJECT":
            case null:
                writer.WriteStartObject();
                writer.WriteEndObject();
                break;
            case "INTEGER":
            case "NUMBER":
                writer.WriteNumberValue(0);
                break;
            case "BOOLEAN":
                writer.WriteBooleanValue(true);
                break;
            case "NULL":
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue(Marker);
                break;
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, JsonElement schema, bool integer)
    {
        var value = 1m;
        if (Number(schema, "minimum") is { } minimum)
        {
            value = minimum;
        }

        if (Number(schema, "exclusiveMinimum") is { } exclusiveMinimum)
        {
            value = Math.Max(value, exclusiveMinimum + 1);
        }

        if (Number(schema, "maximum") is { } maximum && value > maximum)
        {
            value = maximum;
        }

        if (Number(schema, "exclusiveMaximum") is { } exclusiveMaximum && value >= exclusiveMaximum)
        {
            value = exclusiveMaximum - 1;
        }

        writer.WriteNumberValue(integer ? Math.Ceiling(value) : value);
    }

    private static string SampleString(JsonElement schema)
    {
        var format = schema.TryGetProperty("format", out var formatElement) && formatElement.ValueKind == JsonValueKind.String
            ? formatElement.GetString()
            : null;
        var text = format switch
        {
            "date-time" => "2026-01-01T00:00:00Z",
            "date" => "2026-01-01",
            "time" => "00:00:00Z",
            "email" => "simulated@example.com",
            "uri" or "url" => "https://example.com/simulated",
            "uuid" => "00000000-0000-4000-8000-000000000000",
            _ => Marker,
        };

        if (Number(schema, "minLength") is { } minLength && text.Length < minLength)
        {
            text = text.PadRight((int)Math.Min(minLength, 10_000), '.');
        }

        if (Number(schema, "maxLength") is { } maxLength && maxLength >= 0 && text.Length > maxLength)
        {
            text = text[..(int)maxLength];
        }

        return text;
    }

    /// <summary>Follows a local <c>$ref</c> (<c>#</c>, <c>#/$defs/x</c>, <c>#/definitions/x</c>, any JSON pointer into the root).</summary>
    private static JsonElement Resolve(JsonElement schema, JsonElement root)
    {
        for (var hops = 0; hops < MaxDepth
            && schema.ValueKind == JsonValueKind.Object
            && schema.TryGetProperty("$ref", out var reference)
            && reference.ValueKind == JsonValueKind.String
            && reference.GetString() is { } pointer
            && pointer.StartsWith('#'); hops++)
        {
            var target = root;
            foreach (var segment in pointer[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                var name = Uri.UnescapeDataString(segment).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                if (target.ValueKind != JsonValueKind.Object || !target.TryGetProperty(name, out target))
                {
                    return default;
                }
            }

            schema = target;
        }

        return schema;
    }

    private static JsonElement FirstNonNullBranch(JsonElement branches, JsonElement root)
    {
        foreach (var branch in branches.EnumerateArray())
        {
            var resolved = Resolve(branch, root);
            if (!string.Equals(DeclaredType(resolved), "null", StringComparison.OrdinalIgnoreCase))
            {
                return branch;
            }
        }

        return branches[0];
    }

    private static decimal? Number(JsonElement schema, string name) =>
        schema.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out var value)
            ? value
            : element.ValueKind == JsonValueKind.String && decimal.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var text)
                ? text
                : null;

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

    /// <summary>The schema's <c>type</c>; for a type list such as <c>["string","null"]</c>, the first non-null one.</summary>
    private static string? DeclaredType(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type))
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
