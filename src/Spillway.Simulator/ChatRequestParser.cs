using System.Text;
using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// Reads a chat-completions body the way the real API validates it: JSON first, then <c>model</c>, then
/// <c>messages</c> (OpenAI reports them in that order). Everything else is accepted as sent.
/// </summary>
internal static class ChatRequestParser
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
            return Rejected(ErrorKind.InvalidJson, model: null, stream: false);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Rejected(ErrorKind.InvalidJson, model: null, stream: false);
            }

            var stream = root.TryGetProperty("stream", out var streamElement) && streamElement.ValueKind == JsonValueKind.True;
            if (!root.TryGetProperty("model", out var modelElement) || modelElement.ValueKind == JsonValueKind.Null)
            {
                return Rejected(ErrorKind.MissingModel, model: null, stream);
            }

            if (modelElement.ValueKind != JsonValueKind.String)
            {
                return Rejected(ErrorKind.InvalidModelType, model: null, stream);
            }

            var model = modelElement.GetString()!;
            if (model.Length == 0)
            {
                return Rejected(ErrorKind.MissingModel, model, stream);
            }

            if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind == JsonValueKind.Null)
            {
                return Rejected(ErrorKind.MissingMessages, model, stream);
            }

            if (messages.ValueKind != JsonValueKind.Array)
            {
                return Rejected(ErrorKind.InvalidMessagesType, model, stream);
            }

            if (messages.GetArrayLength() == 0)
            {
                return Rejected(ErrorKind.EmptyMessages, model, stream);
            }

            var includeUsage = stream
                && root.TryGetProperty("stream_options", out var options)
                && options.ValueKind == JsonValueKind.Object
                && options.TryGetProperty("include_usage", out var include)
                && include.ValueKind == JsonValueKind.True;

            var promptBytes = Encoding.UTF8.GetByteCount(messages.GetRawText());
            var promptTokens = Math.Max(1, (promptBytes + 3) / 4);
            return new ChatRequest(null, model, stream, includeUsage, promptTokens, PlanToolCall(root, messages), StructuredOutput: ReadResponseFormat(root), Prefill: Prefill.OfOpenAI(messages));
        }
    }

    /// <summary><c>response_format</c>: <c>json_object</c> asks for any JSON object, <c>json_schema</c> for an instance of <c>json_schema.schema</c>.</summary>
    private static StructuredOutput? ReadResponseFormat(JsonElement root)
    {
        if (!root.TryGetProperty("response_format", out var format)
            || format.ValueKind != JsonValueKind.Object
            || !format.TryGetProperty("type", out var type)
            || type.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        return type.GetString() switch
        {
            "json_object" => new StructuredOutput(null),
            "json_schema" => StructuredOutput.From(
                format.TryGetProperty("json_schema", out var jsonSchema) && jsonSchema.ValueKind == JsonValueKind.Object
                    && jsonSchema.TryGetProperty("schema", out var schema)
                    ? schema
                    : default),
            _ => null,
        };
    }

    private static ChatRequest Rejected(ErrorKind problem, string? model, bool stream) =>
        new(problem, model, stream, IncludeUsage: false, PromptTokens: 0, ToolCall: null);

    /// <summary>
    /// Picks the tool to "call": the one named by <c>tool_choice</c>, else the first declared tool. The model
    /// answers in text when <c>tool_choice</c> is <c>"none"</c>, or when the last message is a tool result and
    /// the call is not forced, so that an agent loop against the simulator terminates.
    /// </summary>
    private static ToolCallPlan? PlanToolCall(JsonElement root, JsonElement messages)
    {
        if (!root.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array || tools.GetArrayLength() == 0)
        {
            return null;
        }

        string? forcedName = null;
        var forced = false;
        if (root.TryGetProperty("tool_choice", out var choice))
        {
            if (choice.ValueKind == JsonValueKind.String)
            {
                var text = choice.GetString();
                if (text == "none")
                {
                    return null;
                }

                forced = text == "required";
            }
            else if (choice.ValueKind == JsonValueKind.Object
                && choice.TryGetProperty("function", out var chosen)
                && chosen.ValueKind == JsonValueKind.Object
                && chosen.TryGetProperty("name", out var chosenName)
                && chosenName.ValueKind == JsonValueKind.String)
            {
                forcedName = chosenName.GetString();
                forced = true;
            }
        }

        if (!forced && LastRole(messages) == "tool")
        {
            return null;
        }

        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.ValueKind != JsonValueKind.Object
                || !tool.TryGetProperty("function", out var function)
                || function.ValueKind != JsonValueKind.Object
                || !function.TryGetProperty("name", out var nameElement)
                || nameElement.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            var name = nameElement.GetString()!;
            if (forcedName is not null && name != forcedName)
            {
                continue;
            }

            var parameters = function.TryGetProperty("parameters", out var schema) ? schema : default;
            return new ToolCallPlan(name, ToolArguments.FromSchema(parameters));
        }

        return null;
    }

    private static string? LastRole(JsonElement messages)
    {
        var last = messages[messages.GetArrayLength() - 1];
        return last.ValueKind == JsonValueKind.Object
            && last.TryGetProperty("role", out var role)
            && role.ValueKind == JsonValueKind.String
            ? role.GetString()
            : null;
    }
}
