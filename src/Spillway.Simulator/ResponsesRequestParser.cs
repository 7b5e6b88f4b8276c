using System.Text;
using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// Reads a Responses API body (<c>POST /v1/responses</c>) the way the real API validates it: JSON, <c>model</c>,
/// then <c>input</c>. Tools are flat (<c>{"type":"function","name","parameters"}</c>), the answer's shape is
/// <c>text.format</c>, the cap <c>max_output_tokens</c>.
/// </summary>
internal static class ResponsesRequestParser
{
    public static ChatRequest Parse(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return Rejected(ErrorKind.InvalidJson, null, stream: false);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Rejected(ErrorKind.InvalidJson, null, stream: false);
            }

            var stream = root.TryGetProperty("stream", out var streamElement) && streamElement.ValueKind == JsonValueKind.True;
            if (!root.TryGetProperty("model", out var modelElement) || modelElement.ValueKind != JsonValueKind.String
                || modelElement.GetString() is not { Length: > 0 } model)
            {
                return Rejected(ErrorKind.MissingModel, null, stream);
            }

            if (!root.TryGetProperty("input", out var input) || input.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
            {
                return Rejected(ErrorKind.MissingInput, model, stream);
            }

            var instructions = root.TryGetProperty("instructions", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : "";
            var promptBytes = Encoding.UTF8.GetByteCount(input.GetRawText()) + Encoding.UTF8.GetByteCount(instructions);
            var maxOutput = root.TryGetProperty("max_output_tokens", out var max) && max.TryGetInt32(out var cap) ? cap : (int?)null;
            return new ChatRequest(
                null,
                model,
                stream,
                IncludeUsage: true,
                Math.Max(1, (promptBytes + 3) / 4),
                PlanToolCall(root, input),
                maxOutput,
                ReadFormat(root));
        }
    }

    private static ChatRequest Rejected(ErrorKind problem, string? model, bool stream) =>
        new(problem, model, stream, IncludeUsage: false, PromptTokens: 0, ToolCall: null);

    /// <summary><c>text.format</c>: <c>json_object</c> asks for any JSON object, <c>json_schema</c> for an instance of its <c>schema</c>.</summary>
    private static StructuredOutput? ReadFormat(JsonElement root)
    {
        if (!root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.Object
            || !text.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.Object
            || !format.TryGetProperty("type", out var type))
        {
            return null;
        }

        return type.GetString() switch
        {
            "json_object" => new StructuredOutput(null),
            "json_schema" => StructuredOutput.From(format.TryGetProperty("schema", out var schema) ? schema : default),
            _ => null,
        };
    }

    /// <summary>
    /// The function to "call": the one <c>tool_choice</c> names, else the first; a text answer when the choice is
    /// <c>none</c>, or when the input ends with a tool's output and the call is not forced (an agent loop ends).
    /// </summary>
    private static ToolCallPlan? PlanToolCall(JsonElement root, JsonElement input)
    {
        if (!root.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        string? forcedName = null;
        var forced = false;
        if (root.TryGetProperty("tool_choice", out var choice))
        {
            if (choice.ValueKind == JsonValueKind.String)
            {
                if (choice.GetString() == "none")
                {
                    return null;
                }

                forced = choice.GetString() == "required";
            }
            else if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("name", out var name))
            {
                forcedName = name.GetString();
                forced = true;
            }
        }

        if (!forced && input.ValueKind == JsonValueKind.Array && input.GetArrayLength() > 0
            && input[input.GetArrayLength() - 1] is { ValueKind: JsonValueKind.Object } last
            && last.TryGetProperty("type", out var lastType) && lastType.GetString() == "function_call_output")
        {
            return null;
        }

        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("type", out var type) || type.GetString() != "function"
                || !tool.TryGetProperty("name", out var nameElement) || nameElement.GetString() is not { } toolName
                || (forcedName is not null && toolName != forcedName))
            {
                continue;
            }

            return new ToolCallPlan(toolName, ToolArguments.FromSchema(tool.TryGetProperty("parameters", out var schema) ? schema : default));
        }

        return null;
    }
}
