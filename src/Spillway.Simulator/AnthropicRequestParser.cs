using System.Text;
using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// Reads an Anthropic Messages body the way the real API validates it: JSON, then <c>model</c>,
/// <c>max_tokens</c> (required, unlike OpenAI) and <c>messages</c>. Tools follow the same rules as the OpenAI
/// side: the tool named by <c>tool_choice</c> (<c>{"type":"tool","name"}</c>) or the first one; text when
/// <c>tool_choice</c> is <c>none</c>, or when the last user turn carries a <c>tool_result</c> and the call is
/// not forced (<c>any</c> / <c>tool</c>), so that an agent loop against the simulator terminates.
/// </summary>
internal static class AnthropicRequestParser
{
    /// <param name="body">The request body.</param>
    /// <param name="requireMaxTokens">False for <c>count_tokens</c>, whose body has no <c>max_tokens</c>.</param>
    public static ChatRequest Parse(ReadOnlyMemory<byte> body, bool requireMaxTokens = true)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return Rejected(ErrorKind.InvalidJson, null, false);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Rejected(ErrorKind.InvalidJson, null, false);
            }

            var stream = root.TryGetProperty("stream", out var streamElement) && streamElement.ValueKind == JsonValueKind.True;
            if (!root.TryGetProperty("model", out var modelElement) || modelElement.ValueKind == JsonValueKind.Null)
            {
                return Rejected(ErrorKind.MissingModel, null, stream);
            }

            if (modelElement.ValueKind != JsonValueKind.String)
            {
                return Rejected(ErrorKind.InvalidModelType, null, stream);
            }

            var model = modelElement.GetString()!;
            if (model.Length == 0)
            {
                return Rejected(ErrorKind.MissingModel, model, stream);
            }

            int? cap = root.TryGetProperty("max_tokens", out var maxTokens) && maxTokens.TryGetInt32(out var given) && given >= 1 ? given : null;
            if (cap is null && requireMaxTokens)
            {
                return Rejected(ErrorKind.MissingMaxTokens, model, stream);
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

            // The system prompt is top-level in this format, and counts as input like the messages.
            var promptBytes = Encoding.UTF8.GetByteCount(messages.GetRawText());
            if (root.TryGetProperty("system", out var system))
            {
                promptBytes += Encoding.UTF8.GetByteCount(system.GetRawText());
            }

            var promptTokens = Math.Max(1, (promptBytes + 3) / 4);
            return new ChatRequest(null, model, stream, IncludeUsage: true, promptTokens, PlanToolCall(root, messages), cap, ReadOutputFormat(root), Prefill.OfAnthropic(messages));
        }
    }

    /// <summary>
    /// Structured output: <c>output_config.format</c> (or the older beta <c>output_format</c>) of type
    /// <c>json_schema</c> asks for an instance of its <c>schema</c>.
    /// </summary>
    private static StructuredOutput? ReadOutputFormat(JsonElement root)
    {
        var format = root.TryGetProperty("output_config", out var config) && config.ValueKind == JsonValueKind.Object
            && config.TryGetProperty("format", out var configured)
            ? configured
            : root.TryGetProperty("output_format", out var beta) ? beta : default;
        if (format.ValueKind != JsonValueKind.Object
            || !format.TryGetProperty("type", out var type)
            || type.ValueKind != JsonValueKind.String
            || type.GetString() != "json_schema")
        {
            return null;
        }

        return StructuredOutput.From(format.TryGetProperty("schema", out var schema) ? schema : default);
    }

    private static ChatRequest Rejected(ErrorKind problem, string? model, bool stream) =>
        new(problem, model, stream, IncludeUsage: false, PromptTokens: 0, ToolCall: null);

    private static ToolCallPlan? PlanToolCall(JsonElement root, JsonElement messages)
    {
        if (!root.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array || tools.GetArrayLength() == 0)
        {
            return null;
        }

        string? forcedName = null;
        var forced = false;
        if (root.TryGetProperty("tool_choice", out var choice)
            && choice.ValueKind == JsonValueKind.Object
            && choice.TryGetProperty("type", out var typeElement))
        {
            switch (typeElement.GetString())
            {
                case "none":
                    return null;
                case "any":
                    forced = true;
                    break;
                case "tool":
                    forced = true;
                    forcedName = choice.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
                    break;
                default:
                    break;
            }
        }

        if (!forced && EndsWithToolResult(messages))
        {
            return null;
        }

        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.ValueKind != JsonValueKind.Object
                || !tool.TryGetProperty("name", out var nameElement)
                || nameElement.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            var toolName = nameElement.GetString()!;
            if (forcedName is not null && toolName != forcedName)
            {
                continue;
            }

            var schema = tool.TryGetProperty("input_schema", out var inputSchema) ? inputSchema : default;
            return new ToolCallPlan(toolName, ToolArguments.FromSchema(schema));
        }

        return null;
    }

    /// <summary>Whether the last message is a user turn answering a tool call (a <c>tool_result</c> block).</summary>
    private static bool EndsWithToolResult(JsonElement messages)
    {
        var last = messages[messages.GetArrayLength() - 1];
        if (last.ValueKind != JsonValueKind.Object
            || !last.TryGetProperty("content", out var content)
            || content.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var block in content.EnumerateArray())
        {
            if (block.ValueKind == JsonValueKind.Object
                && block.TryGetProperty("type", out var type)
                && type.ValueKind == JsonValueKind.String
                && type.GetString() == "tool_result")
            {
                return true;
            }
        }

        return false;
    }
}
