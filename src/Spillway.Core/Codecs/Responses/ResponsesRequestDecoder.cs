using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// Reads an OpenAI Responses request (<c>POST /v1/responses</c>) into a <see cref="ChatRequest"/>.
/// <c>instructions</c> opens the system prompt; <c>input</c>, <c>tools</c> and <c>text.format</c> are read by their
/// own decoders. Fields with no canonical home are kept as extensions: those Chat Completions shares
/// (<c>prompt_cache_key</c>, <c>service_tier</c>, <c>safety_identifier</c>, <c>reasoning.effort</c> as
/// <c>reasoning_effort</c>) as OpenAI ones an OpenAI-format upstream gets back, the rest as Responses ones every
/// upstream drops and reports, or refuses when the answer depends on them (<c>previous_response_id</c> unless the
/// door resolved it, <c>conversation</c>, <c>prompt</c>, <c>background</c>). A field the API does not have is a 400
/// naming it.
/// </summary>
public static class ResponsesRequestDecoder
{
    private static readonly string[] ReasoningEfforts = ["none", "minimal", "low", "medium", "high", "xhigh"];
    private static readonly string[] ReasoningKeys = ["effort"];

    /// <summary>Decodes <paramref name="body"/>; a malformed request is a 400-kind error naming the field.</summary>
    public static ChatResult<ResponsesRequest> Decode(ReadOnlyMemory<byte> body)
        => JsonElementReader.DecodeObject<ResponsesRequest>(body, root => Decode(root, null));

    /// <summary>
    /// Decodes a follow-up whose <c>previous_response_id</c> the door has resolved: <paramref name="history"/> (a JSON
    /// array of input items, <see cref="ResponsesConversation.History"/>) comes before the request's own input, and
    /// <c>previous_response_id</c> is no longer a field the upstream must honor.
    /// </summary>
    public static ChatResult<ResponsesRequest> Decode(ReadOnlyMemory<byte> body, ReadOnlyMemory<byte> history)
    {
        using var earlier = JsonDocument.Parse(history);
        return JsonElementReader.DecodeObject<ResponsesRequest>(body, root => Decode(root, earlier.RootElement));
    }

    private static ChatResult<ResponsesRequest> Decode(JsonElement root, JsonElement? history)
    {
        var error = CheckFields(root);
        if (error is not null)
        {
            return error;
        }

        if (JsonElementReader.String(root, "model") is not { } model)
        {
            return ChatError.InvalidRequest("you must provide a model parameter", "model");
        }

        if (!JsonElementReader.TryGet(root, "input", out var input))
        {
            return ChatError.InvalidRequest("input: required (a string or an array of input items).", "input");
        }

        var system = new List<TextPart>();
        if (JsonElementReader.String(root, "instructions") is { } instructions)
        {
            system.Add(new TextPart(instructions));
        }

        var dropped = new List<ChatExtension>();
        var messages = new List<ChatMessage>();
        var tools = new List<ChatTool>();
        var extensions = new List<ChatExtension>();
        if (history is { } earlier)
        {
            // Stored items were valid when they were stored; a path into them would mean nothing to the client.
            error = ResponsesInputDecoder.Read(earlier, system, messages, dropped);
        }

        error ??= ResponsesInputDecoder.Read(input, system, messages, dropped);
        var toolError = ResponsesToolDecoder.Read(root, tools, dropped, out var toolChoice);
        var formatError = ResponsesTextFormat.Read(root, extensions, out var format);
        var reasoningError = ReadReasoning(root, extensions, out var thinking);
        error ??= toolError ?? formatError ?? reasoningError;
        if (error is not null)
        {
            return error;
        }

        CollectExtensions(root, extensions, resolved: history is not null);
        extensions.AddRange(dropped);
        var stream = JsonElementReader.Bool(root, "stream") ?? false;
        var chat = new ChatRequest
        {
            Model = model,
            System = system,
            Messages = messages,
            Tools = tools,
            ToolChoice = toolChoice,
            ParallelToolCalls = JsonElementReader.Bool(root, "parallel_tool_calls"),
            MaxOutputTokens = JsonElementReader.Int(root, "max_output_tokens"),
            Temperature = JsonElementReader.Double(root, "temperature"),
            TopP = JsonElementReader.Double(root, "top_p"),
            ResponseFormat = format,
            Thinking = thinking,
            UserId = JsonElementReader.String(root, "user"),
            Stream = stream,

            // response.completed always carries usage.
            IncludeUsage = stream,
            Extensions = ChatExtensions.Of(extensions),
        };

        return new ResponsesRequest(chat)
        {
            PreviousResponseId = JsonElementReader.String(root, "previous_response_id"),
            Store = JsonElementReader.Bool(root, "store"),
            Include = ReadInclude(root),
            DroppedHints = dropped.ConvertAll(x => x.Name),
        };
    }

    /// <summary>Refuses fields the API does not have, and known fields of the wrong JSON type.</summary>
    private static ChatError? CheckFields(JsonElement root)
    {
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            var expected = ResponsesRequestFields.Expected(property.Name);
            if (expected is null)
            {
                return ChatError.InvalidRequest(
                    $"Unrecognized request argument supplied: {property.Name}", property.Name);
            }

            if (value.ValueKind != JsonValueKind.Null && !ResponsesRequestFields.Matches(expected.Value, value))
            {
                return ChatError.InvalidRequest(
                    $"{property.Name}: expected {ResponsesRequestFields.Describe(expected.Value)}.", property.Name);
            }
        }

        return CheckRange(root, "temperature", 0, 2)
            ?? CheckRange(root, "top_p", 0, 1)
            ?? CheckRange(root, "max_output_tokens", 1, int.MaxValue);
    }

    private static ChatError? CheckRange(JsonElement root, string name, double min, double max)
    {
        if (!JsonElementReader.TryGet(root, name, out var value))
        {
            return null;
        }

        var number = JsonElementReader.Double(root, name);
        var whole = name != "max_output_tokens" || value.TryGetInt32(out _);
        return number is { } n && n >= min && n <= max && whole
            ? null
            : ChatError.InvalidRequest($"{name}: expected a {(whole ? "number" : "whole number")} from {min} to {max}.", name);
    }

    private static ChatError? ReadReasoning(JsonElement root, List<ChatExtension> extensions, out ChatThinking? thinking)
    {
        thinking = null;
        if (!JsonElementReader.TryGet(root, "reasoning", out var reasoning))
        {
            return null;
        }

        ExtensionFields.Collect(WireFormat.OpenAIResponses, reasoning, ReasoningKeys, extensions, "reasoning.");
        if (!JsonElementReader.TryGet(reasoning, "effort", out var value))
        {
            return null;
        }

        var effort = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (effort is null || !ReasoningEfforts.Contains(effort))
        {
            return ChatError.InvalidRequest(
                "reasoning.effort: expected none, minimal, low, medium, high or xhigh.", "reasoning.effort");
        }

        // The canonical setting has no effort levels: "none" turns reasoning off, any other level lets the model
        // decide; the level itself reaches an OpenAI-format upstream as Chat Completions' reasoning_effort.
        thinking = new ChatThinking(effort == "none" ? ThinkingMode.Disabled : ThinkingMode.Adaptive);
        extensions.Add(new ChatExtension(WireFormat.OpenAI, "reasoning_effort", JsonElementReader.Raw(value)));
        return null;
    }

    private static void CollectExtensions(JsonElement root, List<ChatExtension> extensions, bool resolved)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null || !ResponsesRequestFields.IsExtension(property.Name))
            {
                continue;
            }

            var format = ResponsesRequestFields.IsSharedWithChat(property.Name) ? WireFormat.OpenAI : WireFormat.OpenAIResponses;
            extensions.Add(new ChatExtension(
                format,
                property.Name,
                JsonElementReader.Raw(property.Value),
                ResponsesRequestFields.MustHonor(property.Name, property.Value) && !(resolved && property.Name == "previous_response_id")));
        }
    }

    private static string[] ReadInclude(JsonElement root) =>
        JsonElementReader.TryGet(root, "include", out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToArray()
            : [];
}
