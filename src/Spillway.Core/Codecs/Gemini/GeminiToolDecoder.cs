using System.Buffers;
using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>Reads <c>tools</c> and <c>toolConfig</c> into canonical tools and tool choice.</summary>
internal static class GeminiToolDecoder
{
    /// <summary>
    /// Reads the <c>tools</c> array: function declarations become canonical tools (a <c>parameters</c> schema
    /// turned into JSON Schema, a <c>parametersJsonSchema</c> taken as it is); Gemini's built-in tools
    /// (<c>googleSearch</c>, <c>codeExecution</c>, …) are kept as one must-honour extension.
    /// </summary>
    public static void ReadTools(ref Utf8JsonReader reader, ReadOnlySpan<byte> source, GeminiRequestDraft draft)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        var others = new ArrayBufferWriter<byte>();
        var count = 0;
        using (var writer = ChatJsonWriter.Create(others))
        {
            writer.WriteStartArray();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                var opened = false;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    if (name == "functionDeclarations" && reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            draft.Tools.Add(ReadDeclaration(ref reader, source));
                        }

                        continue;
                    }

                    if (!opened)
                    {
                        writer.WriteStartObject();
                        opened = true;
                        count++;
                    }

                    writer.WritePropertyName(name);
                    GeminiJson.Capture(ref reader, source).WriteTo(writer);
                }

                if (opened)
                {
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndArray();
        }

        if (count > 0)
        {
            draft.Extensions.Add(new ChatExtension(
                WireFormat.Gemini, GeminiNames.Tools, new RawJson(others.WrittenSpan.ToArray()), MustHonor: true));
        }
    }

    /// <summary>
    /// Reads <c>toolConfig</c>. <c>AUTO</c>, <c>NONE</c>, <c>ANY</c> and <c>ANY</c> with one allowed name map
    /// exactly; anything else (<c>VALIDATED</c>, several allowed names, other settings) keeps the nearest choice
    /// and rides whole as a must-honour extension, which the Gemini encoder writes back as it was.
    /// </summary>
    public static void ReadToolConfig(ref Utf8JsonReader reader, ReadOnlySpan<byte> source, GeminiRequestDraft draft)
    {
        var raw = GeminiJson.Capture(ref reader, source);
        var config = new Utf8JsonReader(raw.Utf8.Span);
        string? mode = null;
        var names = new List<string>();
        var exact = config.Read() && config.TokenType == JsonTokenType.StartObject;
        while (exact && config.Read() && config.TokenType == JsonTokenType.PropertyName)
        {
            if (!config.ValueTextEquals("functionCallingConfig"u8) || !config.Read()
                || config.TokenType != JsonTokenType.StartObject)
            {
                exact = false;
                break;
            }

            while (config.Read() && config.TokenType == JsonTokenType.PropertyName)
            {
                var name = config.GetString();
                config.Read();
                if (name == "mode")
                {
                    mode = GeminiJson.ReadString(ref config);
                }
                else if (name == "allowedFunctionNames" && config.TokenType == JsonTokenType.StartArray)
                {
                    while (config.Read() && config.TokenType != JsonTokenType.EndArray)
                    {
                        names.Add(GeminiJson.ReadString(ref config) ?? string.Empty);
                    }
                }
                else
                {
                    config.Skip();
                    exact = false;
                }
            }
        }

        draft.ToolChoice = (mode, names.Count) switch
        {
            ("NONE", 0) => new ChatToolChoice(ToolChoiceMode.None),
            ("ANY", 0) => new ChatToolChoice(ToolChoiceMode.Required),
            ("ANY", 1) => new ChatToolChoice(ToolChoiceMode.Named, names[0]),
            ("AUTO", 0) => new ChatToolChoice(ToolChoiceMode.Auto),
            (null, 0) => null,
            ("ANY", _) => new ChatToolChoice(ToolChoiceMode.Required),
            _ => new ChatToolChoice(ToolChoiceMode.Auto),
        };
        var mapped = (mode, names.Count) is ("NONE", 0) or ("ANY", 0) or ("ANY", 1) or ("AUTO", 0) or (null, 0);
        if (!exact || !mapped)
        {
            draft.Extensions.Add(new ChatExtension(WireFormat.Gemini, GeminiNames.ToolConfig, raw, MustHonor: true));
        }
    }

    private static ChatTool ReadDeclaration(ref Utf8JsonReader reader, ReadOnlySpan<byte> source)
    {
        string name = string.Empty;
        string? description = null;
        RawJson parameters = default, jsonSchema = default;
        var extensions = new List<ChatExtension>();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return new ChatTool(name, description, default);
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.GetString()!;
            reader.Read();
            switch (field)
            {
                case "name":
                    name = GeminiJson.ReadString(ref reader) ?? string.Empty;
                    break;
                case "description":
                    description = GeminiJson.ReadString(ref reader);
                    break;
                case "parameters":
                    parameters = GeminiJson.Capture(ref reader, source);
                    break;
                case "parametersJsonSchema":
                    jsonSchema = GeminiJson.Capture(ref reader, source);
                    break;
                default:
                    extensions.Add(new ChatExtension(WireFormat.Gemini, field, GeminiJson.Capture(ref reader, source)));
                    break;
            }
        }

        // Gemini takes its upper-case type names in a JSON Schema too; another upstream would not.
        var schema = !jsonSchema.IsEmpty ? GeminiSchemaExpander.LowerCaseTypes(jsonSchema) : !parameters.IsEmpty ? GeminiSchemaExpander.ToJsonSchema(parameters) : default;
        return new ChatTool(name, description, schema) { Extensions = ChatExtensions.Of(extensions) };
    }
}
