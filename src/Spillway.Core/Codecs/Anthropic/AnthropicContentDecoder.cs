using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>Reads Anthropic content blocks (requests and responses) into canonical parts.</summary>
internal static class AnthropicContentDecoder
{
    private static readonly string[] TextKeys = ["type", "text"];
    private static readonly string[] ImageKeys = ["type", "source"];
    private static readonly string[] ToolUseKeys = ["type", "id", "name", "input"];
    private static readonly string[] ToolResultKeys = ["type", "tool_use_id", "content", "is_error"];
    private static readonly string[] ThinkingKeys = ["type", "thinking", "signature"];
    private static readonly string[] RedactedKeys = ["type", "data"];

    /// <summary>Reads a <c>content</c> value: a string (one text part) or an array of blocks.</summary>
    public static ChatError? ReadContent(JsonElement content, string path, List<ChatContentPart> into)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            into.Add(new TextPart(content.GetString()!));
            return null;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return ChatError.InvalidRequest($"{path}: Input should be a valid string or list of content blocks.", path);
        }

        var index = 0;
        foreach (var block in content.EnumerateArray())
        {
            var error = ReadBlock(block, $"{path}[{index++}]", out var part);
            if (error is not null)
            {
                return error;
            }

            into.Add(part!);
        }

        return null;
    }

    /// <summary>Reads one block; a type the canonical model has no part for is kept as an <see cref="OpaquePart"/>.</summary>
    public static ChatError? ReadBlock(JsonElement block, string path, out ChatContentPart? part)
    {
        part = null;
        if (block.ValueKind != JsonValueKind.Object)
        {
            return ChatError.InvalidRequest($"{path}: a content block must be an object.", path);
        }

        var type = JsonElementReader.String(block, "type");
        switch (type)
        {
            case "text":
                var text = JsonElementReader.String(block, "text");
                if (text is null)
                {
                    return ChatError.InvalidRequest($"{path}.text: Field required.", path + ".text");
                }

                part = new TextPart(text) { Extensions = AnthropicExtensionFields.Of(block, TextKeys) };
                return null;
            case "image":
                part = ReadImage(block);
                return null;
            case "tool_use":
                var id = JsonElementReader.String(block, "id");
                var name = JsonElementReader.String(block, "name");
                if (id is null || name is null)
                {
                    return ChatError.InvalidRequest($"{path}: a tool_use block needs an id and a name.", path);
                }

                var input = JsonElementReader.TryGet(block, "input", out var inputValue)
                    ? JsonElementReader.RawText(inputValue)
                    : "{}";
                part = new ToolCallPart(id, name, input) { Extensions = AnthropicExtensionFields.Of(block, ToolUseKeys) };
                return null;
            case "tool_result":
                return ReadToolResult(block, path, out part);
            case "thinking":
                part = new ThinkingPart(
                    JsonElementReader.String(block, "thinking") ?? "",
                    JsonElementReader.String(block, "signature"))
                {
                    Extensions = AnthropicExtensionFields.Of(block, ThinkingKeys),
                };
                return null;
            case "redacted_thinking":
                part = new RedactedThinkingPart(JsonElementReader.String(block, "data") ?? "")
                {
                    Extensions = AnthropicExtensionFields.Of(block, RedactedKeys),
                };
                return null;
            case null:
                return ChatError.InvalidRequest($"{path}.type: Field required.", path + ".type");
            default:
                // document, search_result, server tool blocks, container uploads, …: Anthropic-only, kept whole.
                part = new OpaquePart(WireFormat.Anthropic, type, JsonElementReader.Raw(block));
                return null;
        }
    }

    private static ChatContentPart ReadImage(JsonElement block)
    {
        if (JsonElementReader.TryGet(block, "source", out var source))
        {
            var sourceType = JsonElementReader.String(source, "type");
            var extensions = AnthropicExtensionFields.Of(block, ImageKeys);
            if (sourceType == "base64" && JsonElementReader.String(source, "media_type") is { } mediaType &&
                JsonElementReader.String(source, "data") is { } data)
            {
                return new ImagePart(new ImageDataSource(mediaType, data)) { Extensions = extensions };
            }

            if (sourceType == "url" && JsonElementReader.String(source, "url") is { } url)
            {
                return new ImagePart(new ImageUrlSource(url)) { Extensions = extensions };
            }
        }

        // A Files API reference or a source this gateway does not know: only Anthropic can read it.
        return new OpaquePart(WireFormat.Anthropic, "image", JsonElementReader.Raw(block));
    }

    private static ChatError? ReadToolResult(JsonElement block, string path, out ChatContentPart? part)
    {
        part = null;
        var toolUseId = JsonElementReader.String(block, "tool_use_id");
        if (toolUseId is null)
        {
            return ChatError.InvalidRequest($"{path}.tool_use_id: Field required.", path + ".tool_use_id");
        }

        var content = new List<ChatContentPart>();
        if (JsonElementReader.TryGet(block, "content", out var value))
        {
            var error = ReadContent(value, path + ".content", content);
            if (error is not null)
            {
                return error;
            }
        }

        part = new ToolResultPart(toolUseId, content, JsonElementReader.Bool(block, "is_error") ?? false)
        {
            Extensions = AnthropicExtensionFields.Of(block, ToolResultKeys),
        };
        return null;
    }
}
