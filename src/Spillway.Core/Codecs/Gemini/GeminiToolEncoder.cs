using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>Writes <c>tools</c> (function declarations) and <c>toolConfig</c> (the tool choice).</summary>
internal static class GeminiToolEncoder
{
    public static ChatError? WriteTools(Utf8JsonWriter writer, ChatRequest request, GeminiHints hints)
    {
        var otherTools = request.Extensions.Find(WireFormat.Gemini, GeminiNames.Tools);
        if (request.Tools.Count == 0 && otherTools is null)
        {
            return null;
        }

        writer.WriteStartArray("tools"u8);
        if (request.Tools.Count > 0)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("functionDeclarations"u8);
            for (var i = 0; i < request.Tools.Count; i++)
            {
                var error = WriteDeclaration(writer, request.Tools[i], hints, $"tools[{i}]");
                if (error is not null)
                {
                    return error;
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        // Gemini's built-in tools (googleSearch, codeExecution, …) that a Gemini client asked for.
        if (otherTools is { } raw)
        {
            using var document = JsonDocument.Parse(raw.Utf8);
            foreach (var tool in document.RootElement.EnumerateArray())
            {
                tool.WriteTo(writer);
            }
        }

        writer.WriteEndArray();
        return null;
    }

    /// <summary>
    /// Writes <c>toolConfig.functionCallingConfig</c>: auto → <c>AUTO</c>, none → <c>NONE</c>, required →
    /// <c>ANY</c>, a named tool → <c>ANY</c> with <c>allowedFunctionNames</c> of that one name.
    /// </summary>
    public static void WriteToolConfig(Utf8JsonWriter writer, ChatRequest request)
    {
        if (request.Extensions.Find(WireFormat.Gemini, GeminiNames.ToolConfig) is { } kept)
        {
            writer.WritePropertyName("toolConfig"u8);
            kept.WriteTo(writer);
            return;
        }

        // Without declarations a tool choice means nothing to Gemini, which refuses one that names a function.
        if (request.ToolChoice is not { } choice || request.Tools.Count == 0)
        {
            return;
        }

        writer.WriteStartObject("toolConfig"u8);
        writer.WriteStartObject("functionCallingConfig"u8);
        writer.WriteString("mode"u8, choice.Mode switch
        {
            ToolChoiceMode.None => "NONE",
            ToolChoiceMode.Required or ToolChoiceMode.Named => "ANY",
            _ => "AUTO",
        });
        if (choice.Mode == ToolChoiceMode.Named && choice.Name is not null)
        {
            writer.WriteStartArray("allowedFunctionNames"u8);
            writer.WriteStringValue(choice.Name);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static ChatError? WriteDeclaration(Utf8JsonWriter writer, ChatTool tool, GeminiHints hints, string param)
    {
        var error = hints.Screen(tool.Extensions, $"the tool '{tool.Name}'", param);
        if (error is not null)
        {
            return error;
        }

        if (tool.Strict == true)
        {
            hints.Add("strict");
        }

        writer.WriteStartObject();
        writer.WriteString("name"u8, tool.Name);
        if (tool.Description is not null)
        {
            writer.WriteString("description"u8, tool.Description);
        }

        if (!tool.InputSchema.IsEmpty && !GeminiSchemaReducer.IsEmptyObject(tool.InputSchema))
        {
            writer.WritePropertyName("parameters"u8);
            error = GeminiSchemaReducer.Write(writer, tool.InputSchema, hints, $"the tool '{tool.Name}'", param);
            if (error is not null)
            {
                return error;
            }
        }

        foreach (var extension in tool.Extensions.Of(WireFormat.Gemini))
        {
            writer.WritePropertyName(extension.Name);
            extension.Value.WriteTo(writer);
        }

        writer.WriteEndObject();
        return null;
    }
}
