using System.Text.Json;
using System.Text.Unicode;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>
/// Reads an Anthropic Messages request (<c>POST /v1/messages</c>) into a <see cref="ChatRequest"/>. Fields the
/// canonical model has no place for (<c>context_management</c>, <c>cache_control</c>, tool <c>defer_loading</c>, the
/// <c>anthropic-beta</c> header, …) are kept as Anthropic extensions.
/// </summary>
public static class AnthropicRequestDecoder
{
    /// <summary>Top-level fields that change what the model can do; other formats must refuse rather than drop them.</summary>
    private static readonly string[] MustHonorFields = ["mcp_servers", "container"];

    private static readonly string[] ToolKeys = ["name", "description", "input_schema", "strict"];
    private static readonly string[] ThinkingKeys = ["type", "budget_tokens"];
    private static readonly string[] MetadataKeys = ["user_id"];
    private static readonly string[] OutputConfigKeys = ["format"];

    /// <summary>Decodes <paramref name="body"/>; a malformed or incomplete request is a 400-kind error.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="betaHeader">The client's <c>anthropic-beta</c> header, or null.</param>
    public static ChatResult<ChatRequest> Decode(ReadOnlyMemory<byte> body, string? betaHeader = null) =>
        Decode(body, betaHeader, requireMaxTokens: true);

    /// <summary>
    /// Decodes a <c>POST /v1/messages/count_tokens</c> body: the Messages body without <c>max_tokens</c> (and
    /// without <c>stream</c>), validated the same way otherwise.
    /// </summary>
    /// <param name="body">The request body.</param>
    /// <param name="betaHeader">The client's <c>anthropic-beta</c> header, or null.</param>
    public static ChatResult<ChatRequest> DecodeCountTokens(ReadOnlyMemory<byte> body, string? betaHeader = null) =>
        Decode(body, betaHeader, requireMaxTokens: false);

    private static ChatResult<ChatRequest> Decode(ReadOnlyMemory<byte> body, string? betaHeader, bool requireMaxTokens)
    {
        if (!Utf8.IsValid(body.Span))
        {
            return ChatError.InvalidRequest("The request body is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return ChatError.InvalidRequest("The request body is not valid JSON: " + ex.Message);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ChatError.InvalidRequest("The request body must be a JSON object.");
            }

            try
            {
                return AnthropicRequestChecks.Check(document.RootElement, requireMaxTokens)
                    ?? Decode(document.RootElement, betaHeader, requireMaxTokens);
            }
            catch (InvalidOperationException)
            {
                // Reading a string whose escapes are half a surrogate pair ("\ud800"): valid JSON syntax, not text.
                return ChatError.InvalidRequest(
                    "The request body has a string with an unpaired surrogate escape (such as \\ud800); JSON text must be valid Unicode.");
            }
        }
    }

    private static ChatResult<ChatRequest> Decode(JsonElement root, string? betaHeader, bool requireMaxTokens)
    {
        var extensions = new List<ChatExtension>();
        if (!string.IsNullOrEmpty(betaHeader))
        {
            extensions.Add(new ChatExtension(
                WireFormat.Anthropic, AnthropicHeaders.Beta, JsonElementReader.Quoted(betaHeader)));
        }

        var model = JsonElementReader.String(root, "model");
        if (model is null)
        {
            return ChatError.InvalidRequest("model: Field required", "model");
        }

        // Anthropic requires max_tokens; say so as Anthropic would rather than inventing a budget.
        var maxTokens = JsonElementReader.Int(root, "max_tokens");
        if (maxTokens is null && requireMaxTokens)
        {
            return ChatError.InvalidRequest("max_tokens: Field required", "max_tokens");
        }

        if (!root.TryGetProperty("messages", out var messagesValue) || messagesValue.ValueKind != JsonValueKind.Array)
        {
            return ChatError.InvalidRequest("messages: Field required", "messages");
        }

        var messages = new List<ChatMessage>();
        var error = AnthropicMessagesDecoder.Read(messagesValue, messages);
        var system = new List<TextPart>();
        error ??= ReadSystem(root, system);
        var tools = new List<ChatTool>();
        error ??= ReadTools(root, tools, extensions);
        var choiceError = ReadToolChoice(root, out var toolChoice, out var parallel);
        var thinkingError = ReadThinking(root, extensions, out var thinking);
        error ??= choiceError ?? thinkingError;
        if (error is not null)
        {
            return error;
        }

        string? userId = null;
        if (JsonElementReader.TryGet(root, "metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            // Claude Code sends user_id as a string that itself holds JSON; it stays an opaque string.
            userId = JsonElementReader.String(metadata, "user_id");
            AnthropicExtensionFields.Collect(metadata, MetadataKeys, extensions, "metadata.");
        }

        foreach (var property in root.EnumerateObject())
        {
            if (!IsCanonical(property.Name))
            {
                extensions.Add(new ChatExtension(
                    WireFormat.Anthropic,
                    property.Name,
                    JsonElementReader.Raw(property.Value),
                    MustHonorFields.Contains(property.Name)));
            }
        }

        return new ChatRequest
        {
            Model = model,
            MaxOutputTokens = maxTokens,
            System = system,
            Messages = messages,
            Tools = tools,
            ToolChoice = toolChoice,
            ParallelToolCalls = parallel,
            StopSequences = ReadStrings(root, "stop_sequences"),
            Temperature = JsonElementReader.Double(root, "temperature"),
            TopP = JsonElementReader.Double(root, "top_p"),
            TopK = JsonElementReader.Int(root, "top_k"),
            Stream = JsonElementReader.Bool(root, "stream") ?? false,
            Thinking = thinking,
            UserId = userId,
            ResponseFormat = ReadOutputFormat(root, extensions),
            Extensions = ChatExtensions.Of(extensions),
        };
    }

    private static bool IsCanonical(string name) => name is "model" or "max_tokens" or "messages" or "system"
        or "tools" or "tool_choice" or "stop_sequences" or "temperature" or "top_p" or "top_k" or "stream"
        or "thinking" or "metadata" or "output_config";

    private static ChatError? ReadSystem(JsonElement root, List<TextPart> system)
    {
        if (!JsonElementReader.TryGet(root, "system", out var value))
        {
            return null;
        }

        var parts = new List<ChatContentPart>();
        var error = AnthropicContentDecoder.ReadContent(value, "system", parts);
        if (error is not null)
        {
            return error;
        }

        foreach (var part in parts)
        {
            if (part is not TextPart text)
            {
                return ChatError.InvalidRequest("system: only text blocks are allowed in the system prompt.", "system");
            }

            system.Add(text);
        }

        return null;
    }

    private static ChatError? ReadTools(JsonElement root, List<ChatTool> tools, List<ChatExtension> extensions)
    {
        if (!JsonElementReader.TryGet(root, "tools", out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return ChatError.InvalidRequest("tools: Input should be a valid list.", "tools");
        }

        var index = 0;
        foreach (var tool in value.EnumerateArray())
        {
            var type = JsonElementReader.String(tool, "type");
            var name = JsonElementReader.String(tool, "name");
            if (name is null)
            {
                return ChatError.InvalidRequest($"tools[{index}].name: Field required", $"tools[{index}].name");
            }

            if (type is not (null or "custom"))
            {
                // A server tool (web search, code execution, …) runs at Anthropic; nothing else can run it.
                extensions.Add(new ChatExtension(
                    WireFormat.Anthropic, AnthropicHeaders.ServerTool, JsonElementReader.Raw(tool), MustHonor: true));
                index++;
                continue;
            }

            var schema = JsonElementReader.TryGet(tool, "input_schema", out var schemaValue)
                ? JsonElementReader.Raw(schemaValue)
                : default;
            tools.Add(new ChatTool(name, JsonElementReader.String(tool, "description"), schema)
            {
                Strict = JsonElementReader.Bool(tool, "strict"),
                Extensions = AnthropicExtensionFields.Of(tool, ToolKeys),
            });
            index++;
        }

        return null;
    }

    private static ChatError? ReadToolChoice(JsonElement root, out ChatToolChoice? choice, out bool? parallel)
    {
        choice = null;
        parallel = null;
        if (!JsonElementReader.TryGet(root, "tool_choice", out var value))
        {
            return null;
        }

        var type = JsonElementReader.String(value, "type");
        choice = type switch
        {
            "auto" => new ChatToolChoice(ToolChoiceMode.Auto),
            "any" => new ChatToolChoice(ToolChoiceMode.Required),
            "none" => new ChatToolChoice(ToolChoiceMode.None),
            "tool" when JsonElementReader.String(value, "name") is { } name => new ChatToolChoice(ToolChoiceMode.Named, name),
            _ => null,
        };
        if (choice is null)
        {
            return ChatError.InvalidRequest("tool_choice: expected auto, any, tool (with a name) or none.", "tool_choice");
        }

        if (JsonElementReader.Bool(value, "disable_parallel_tool_use") is { } disable)
        {
            parallel = !disable;
        }

        return null;
    }

    private static ChatError? ReadThinking(JsonElement root, List<ChatExtension> extensions, out ChatThinking? thinking)
    {
        thinking = null;
        if (!JsonElementReader.TryGet(root, "thinking", out var value))
        {
            return null;
        }

        var type = JsonElementReader.String(value, "type");
        var budget = JsonElementReader.Int(value, "budget_tokens");
        thinking = type switch
        {
            "enabled" when budget is not null => new ChatThinking(ThinkingMode.Enabled, budget),
            "adaptive" => new ChatThinking(ThinkingMode.Adaptive),
            "disabled" => new ChatThinking(ThinkingMode.Disabled),
            _ => null,
        };
        if (thinking is null)
        {
            return ChatError.InvalidRequest(
                "thinking: expected enabled (with budget_tokens), adaptive or disabled.", "thinking");
        }

        AnthropicExtensionFields.Collect(value, ThinkingKeys, extensions, "thinking.");
        return null;
    }

    private static ChatResponseFormat? ReadOutputFormat(JsonElement root, List<ChatExtension> extensions)
    {
        if (!JsonElementReader.TryGet(root, "output_config", out var config) || config.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        AnthropicExtensionFields.Collect(config, OutputConfigKeys, extensions, "output_config.");
        if (!JsonElementReader.TryGet(config, "format", out var format))
        {
            return null;
        }

        if (JsonElementReader.String(format, "type") == "json_schema" &&
            JsonElementReader.TryGet(format, "schema", out var schema))
        {
            return new ChatResponseFormat(ResponseFormatType.JsonSchema) { Schema = JsonElementReader.Raw(schema) };
        }

        // A format this gateway does not know changes the answer: only Anthropic may get it.
        extensions.Add(new ChatExtension(
            WireFormat.Anthropic, "output_config.format", JsonElementReader.Raw(format), MustHonor: true));
        return null;
    }

    private static string[] ReadStrings(JsonElement root, string name)
    {
        if (!JsonElementReader.TryGet(root, name, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return value.EnumerateArray()
            .Where(item => item.ValueKind == JsonValueKind.String)
            .Select(item => item.GetString()!)
            .ToArray();
    }
}
