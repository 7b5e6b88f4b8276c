using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// <c>text.format</c> both ways: <c>{"type":"text"}</c>, <c>{"type":"json_object"}</c>, or
/// <c>{"type":"json_schema","name","schema","description","strict"}</c> (flat, unlike Chat Completions'
/// <c>response_format.json_schema</c>).
/// </summary>
internal static class ResponsesTextFormat
{
    private static readonly string[] TextKeys = ["format"];

    /// <summary>Reads <c>text</c>; its other fields (<c>verbosity</c>) become extensions named <c>text.…</c>.</summary>
    public static ChatError? Read(JsonElement root, List<ChatExtension> extensions, out ChatResponseFormat? format)
    {
        format = null;
        if (!JsonElementReader.TryGet(root, "text", out var text))
        {
            return null;
        }

        if (text.ValueKind != JsonValueKind.Object)
        {
            return ChatError.InvalidRequest("text: expected an object.", "text");
        }

        ExtensionFields.Collect(WireFormat.OpenAIResponses, text, TextKeys, extensions, "text.");
        if (!JsonElementReader.TryGet(text, "format", out var value))
        {
            return null;
        }

        switch (JsonElementReader.String(value, "type"))
        {
            case "text":
                format = new ChatResponseFormat(ResponseFormatType.Text);
                return null;
            case "json_object":
                format = new ChatResponseFormat(ResponseFormatType.JsonObject);
                return null;
            case "json_schema":
                if (JsonElementReader.String(value, "name") is not { } name)
                {
                    return ChatError.InvalidRequest("text.format.name: required for json_schema.", "text.format.name");
                }

                if (!JsonElementReader.TryGet(value, "schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
                {
                    return ChatError.InvalidRequest("text.format.schema: a JSON Schema object is required.", "text.format.schema");
                }

                format = new ChatResponseFormat(ResponseFormatType.JsonSchema)
                {
                    Name = name,
                    Description = JsonElementReader.String(value, "description"),
                    Schema = JsonElementReader.Raw(schema),
                    Strict = JsonElementReader.Bool(value, "strict"),
                };
                return null;
            default:
                return ChatError.InvalidRequest(
                    "text.format.type: expected text, json_object or json_schema.", "text.format.type");
        }
    }

    /// <summary>Writes <c>"text":{"format":…}</c> for the response object's echo of the request.</summary>
    public static void Write(Utf8JsonWriter writer, ChatResponseFormat? format)
    {
        writer.WriteStartObject("text"u8);
        writer.WriteStartObject("format"u8);
        switch (format?.Type)
        {
            case ResponseFormatType.JsonObject:
                writer.WriteString("type"u8, "json_object"u8);
                break;
            case ResponseFormatType.JsonSchema:
                writer.WriteString("type"u8, "json_schema"u8);
                writer.WriteString("name"u8, format.Name);
                if (format.Description is { } description)
                {
                    writer.WriteString("description"u8, description);
                }

                if (!format.Schema.IsEmpty)
                {
                    writer.WritePropertyName("schema"u8);
                    format.Schema.WriteTo(writer);
                }

                if (format.Strict is { } strict)
                {
                    writer.WriteBoolean("strict"u8, strict);
                }

                break;
            default:
                writer.WriteString("type"u8, "text"u8);
                break;
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
