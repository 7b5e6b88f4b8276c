using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// Reads an OpenAI Chat Completions request into a <see cref="ChatRequest"/>. Fields the canonical model has no
/// place for (<c>service_tier</c>, <c>logprobs</c>, <c>reasoning_effort</c>, …) are kept as OpenAI extensions;
/// those that change what the caller gets (<c>n</c> above 1, audio output, built-in tools) must be honored by any
/// other format or refused.
/// </summary>
public static class OpenAIChatRequestDecoder
{
    private static readonly string[] ToolFunctionKeys = ["name", "description", "parameters", "strict"];
    private static readonly string[] StreamOptionKeys = ["include_usage"];

    /// <summary>Decodes <paramref name="body"/>; a malformed request is a 400-kind error.</summary>
    public static ChatResult<ChatRequest> Decode(ReadOnlyMemory<byte> body)
        => JsonElementReader.DecodeObject<ChatRequest>(body, Decode);

    private static ChatResult<ChatRequest> Decode(JsonElement root)
    {
        var model = JsonElementReader.String(root, "model");
        if (model is null)
        {
            return ChatError.InvalidRequest("you must provide a model parameter", "model");
        }

        if (!JsonElementReader.TryGet(root, "messages", out var messagesValue) ||
            messagesValue.ValueKind != JsonValueKind.Array)
        {
            return ChatError.InvalidRequest("'messages' is a required property", "messages");
        }

        var system = new List<TextPart>();
        var messages = new List<ChatMessage>();
        var extensions = new List<ChatExtension>();
        var tools = new List<ChatTool>();
        var error = OpenAIChatMessagesDecoder.Read(messagesValue, system, messages) ?? ReadTools(root, tools, extensions);
        var choiceError = ReadToolChoice(root, extensions, out var toolChoice);
        var formatError = ReadResponseFormat(root, out var responseFormat);
        error ??= choiceError ?? formatError;
        if (error is not null)
        {
            return error;
        }

        var includeUsage = false;
        if (JsonElementReader.TryGet(root, "stream_options", out var streamOptions))
        {
            includeUsage = JsonElementReader.Bool(streamOptions, "include_usage") ?? false;
            ExtensionFields.Collect(WireFormat.OpenAI, streamOptions, StreamOptionKeys, extensions, "stream_options.");
        }

        foreach (var property in root.EnumerateObject())
        {
            if (!IsCanonical(property.Name))
            {
                extensions.Add(new ChatExtension(
                    WireFormat.OpenAI,
                    property.Name,
                    JsonElementReader.Raw(property.Value),
                    MustHonor(property.Name, property.Value)));
            }
        }

        return new ChatRequest
        {
            Model = model,
            System = system,
            Messages = messages,
            Tools = tools,
            ToolChoice = toolChoice,
            ParallelToolCalls = JsonElementReader.Bool(root, "parallel_tool_calls"),
            StopSequences = ReadStop(root),
            MaxOutputTokens = JsonElementReader.Int(root, "max_completion_tokens") ?? JsonElementReader.Int(root, "max_tokens"),
            Temperature = JsonElementReader.Double(root, "temperature"),
            TopP = JsonElementReader.Double(root, "top_p"),
            TopK = JsonElementReader.Int(root, "top_k"),
            Seed = JsonElementReader.Long(root, "seed"),
            ResponseFormat = responseFormat,
            UserId = JsonElementReader.String(root, "user"),
            Stream = JsonElementReader.Bool(root, "stream") ?? false,
            IncludeUsage = includeUsage,
            Extensions = ChatExtensions.Of(extensions),
        };
    }

    private static bool IsCanonical(string name) => name is "model" or "messages" or "tools" or "tool_choice"
        or "parallel_tool_calls" or "stop" or "max_completion_tokens" or "max_tokens" or "temperature" or "top_p"
        or "top_k" or "seed" or "response_format" or "user" or "stream" or "stream_options";

    /// <summary>Fields whose loss would change what the caller gets back.</summary>
    private static bool MustHonor(string name, JsonElement value) => name switch
    {
        "n" => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n > 1,
        "modalities" => value.ValueKind == JsonValueKind.Array &&
            value.EnumerateArray().Any(m => m.ValueKind == JsonValueKind.String && m.GetString() == "audio"),
        "audio" or "functions" or "function_call" or "web_search_options" => value.ValueKind != JsonValueKind.Null,
        _ => false,
    };

    private static ChatError? ReadTools(JsonElement root, List<ChatTool> tools, List<ChatExtension> extensions)
    {
        if (!JsonElementReader.TryGet(root, "tools", out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return ChatError.InvalidRequest("tools: expected an array.", "tools");
        }

        var index = 0;
        foreach (var tool in value.EnumerateArray())
        {
            var path = $"tools[{index++}]";
            if (JsonElementReader.String(tool, "type") != "function")
            {
                // A custom or built-in tool: only an OpenAI-format host can offer it.
                extensions.Add(new ChatExtension(
                    WireFormat.OpenAI, OpenAIExtensionNames.CustomTool, JsonElementReader.Raw(tool), MustHonor: true));
                continue;
            }

            if (!JsonElementReader.TryGet(tool, "function", out var function) ||
                JsonElementReader.String(function, "name") is not { } name)
            {
                return ChatError.InvalidRequest($"{path}.function.name: required.", path + ".function.name");
            }

            var schema = JsonElementReader.TryGet(function, "parameters", out var parameters)
                ? JsonElementReader.Raw(parameters)
                : default;
            tools.Add(new ChatTool(name, JsonElementReader.String(function, "description"), schema)
            {
                Strict = JsonElementReader.Bool(function, "strict"),
                Extensions = ExtensionFields.Of(WireFormat.OpenAI, function, ToolFunctionKeys),
            });
        }

        return null;
    }

    private static ChatError? ReadToolChoice(JsonElement root, List<ChatExtension> extensions, out ChatToolChoice? choice)
    {
        choice = null;
        if (!JsonElementReader.TryGet(root, "tool_choice", out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return OpenAIToolChoiceModes.Read(value.GetString(), out choice);
        }

        if (JsonElementReader.String(value, "type") == "function" &&
            JsonElementReader.TryGet(value, "function", out var function) &&
            JsonElementReader.String(function, "name") is { } name)
        {
            choice = new ChatToolChoice(ToolChoiceMode.Named, name);
            return null;
        }

        // allowed_tools and custom tool choices narrow what the model may do: only OpenAI may get them.
        extensions.Add(new ChatExtension(WireFormat.OpenAI, "tool_choice", JsonElementReader.Raw(value), MustHonor: true));
        return null;
    }

    private static ChatError? ReadResponseFormat(JsonElement root, out ChatResponseFormat? format)
    {
        format = null;
        if (!JsonElementReader.TryGet(root, "response_format", out var value))
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
            case "json_schema" when JsonElementReader.TryGet(value, "json_schema", out var schema) && schema.ValueKind == JsonValueKind.Object:
                format = new ChatResponseFormat(ResponseFormatType.JsonSchema)
                {
                    Name = JsonElementReader.String(schema, "name"),
                    Description = JsonElementReader.String(schema, "description"),
                    Schema = JsonElementReader.TryGet(schema, "schema", out var raw) ? JsonElementReader.Raw(raw) : default,
                    Strict = JsonElementReader.Bool(schema, "strict"),
                };
                return null;
            default:
                return ChatError.InvalidRequest(
                    "response_format: expected text, json_object or json_schema (with a json_schema object).", "response_format");
        }
    }

    private static string[] ReadStop(JsonElement root)
    {
        if (!JsonElementReader.TryGet(root, "stop", out var value))
        {
            return [];
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array => value.EnumerateArray()
                .Where(x => x.ValueKind == JsonValueKind.String)
                .Select(x => x.GetString()!)
                .ToArray(),
            _ => [],
        };
    }
}
