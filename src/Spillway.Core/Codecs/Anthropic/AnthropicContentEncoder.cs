using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>Writes canonical parts as Anthropic content blocks (requests and responses).</summary>
internal static class AnthropicContentEncoder
{
    /// <summary>
    /// Writes <paramref name="parts"/> as a <c>content</c> value: a plain string when it is one text part without
    /// hints (what clients send most), else an array of blocks.
    /// </summary>
    public static ChatError? WriteContent(
        Utf8JsonWriter writer, IReadOnlyList<ChatContentPart> parts, string path, DroppedHints dropped)
    {
        if (parts is [TextPart { Extensions.IsEmpty: true } only])
        {
            writer.WriteStringValue(only.Text);
            return null;
        }

        writer.WriteStartArray();
        var error = WriteBlocks(writer, parts, path, dropped);
        if (error is null)
        {
            writer.WriteEndArray();
        }

        return error;
    }

    /// <summary>Writes each part as a block into the open array.</summary>
    public static ChatError? WriteBlocks(
        Utf8JsonWriter writer, IReadOnlyList<ChatContentPart> parts, string path, DroppedHints dropped)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            var error = WriteBlock(writer, parts[i], $"{path}[{i}]", dropped);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary>Writes one block; refuses a part only another format can carry.</summary>
    public static ChatError? WriteBlock(Utf8JsonWriter writer, ChatContentPart part, string path, DroppedHints dropped)
    {
        switch (part)
        {
            case OpaquePart opaque when opaque.Format == WireFormat.Anthropic:
                opaque.Json.WriteTo(writer);
                return null;
            case OpaquePart opaque:
                return ChatError.InvalidRequest(
                    $"{path}: '{opaque.Type}' content ({opaque.Format}) cannot be sent to an Anthropic upstream.", path);
            case ThinkingPart { Signature: null or "" }:
                // Anthropic rejects thinking it did not sign; reasoning from another provider cannot go back as such.
                dropped.Add("thinking");
                return null;
        }

        writer.WriteStartObject();
        var error = part switch
        {
            TextPart text => WriteText(writer, text),
            ImagePart image => WriteImage(writer, image),
            FilePart file => WriteDocument(writer, file, path),
            ToolCallPart call => WriteToolUse(writer, call, path),
            ToolResultPart result => WriteToolResult(writer, result, path, dropped),
            ThinkingPart thinking => WriteThinking(writer, thinking),
            RedactedThinkingPart redacted => WriteRedacted(writer, redacted),
            _ => ChatError.InvalidRequest($"{path}: this content cannot be sent to an Anthropic upstream.", path),
        };
        if (error is not null)
        {
            // The body is abandoned: nothing more is written into it.
            return error;
        }

        error = AnthropicExtensionFields.Write(writer, part.Extensions, dropped, path);
        writer.WriteEndObject();
        return error;
    }

    private static ChatError? WriteText(Utf8JsonWriter writer, TextPart text)
    {
        writer.WriteString("type"u8, "text"u8);
        writer.WriteString("text"u8, text.Text);
        return null;
    }

    private static ChatError? WriteImage(Utf8JsonWriter writer, ImagePart image)
    {
        writer.WriteString("type"u8, "image"u8);
        writer.WriteStartObject("source"u8);
        switch (image.Source)
        {
            case ImageDataSource data:
                writer.WriteString("type"u8, "base64"u8);
                writer.WriteString("media_type"u8, data.MediaType);
                writer.WriteString("data"u8, data.Base64Data);
                break;
            case ImageUrlSource url:
                writer.WriteString("type"u8, "url"u8);
                writer.WriteString("url"u8, url.Url);
                break;
        }

        writer.WriteEndObject();
        return null;
    }

    /// <summary>
    /// A file as a <c>document</c> block: a PDF as base64, a plain-text file as its text. Anthropic reads no other
    /// document type, so anything else is refused rather than sent to fail.
    /// </summary>
    private static ChatError? WriteDocument(Utf8JsonWriter writer, FilePart file, string path)
    {
        writer.WriteString("type"u8, "document"u8);
        writer.WriteStartObject("source"u8);
        if (file.MediaType == "application/pdf")
        {
            writer.WriteString("type"u8, "base64"u8);
            writer.WriteString("media_type"u8, file.MediaType);
            writer.WriteString("data"u8, file.Base64Data);
        }
        else if (file.MediaType == "text/plain" && TryDecodeText(file.Base64Data, out var text))
        {
            writer.WriteString("type"u8, "text"u8);
            writer.WriteString("media_type"u8, file.MediaType);
            writer.WriteString("data"u8, text);
        }
        else
        {
            return ChatError.InvalidRequest(
                $"{path}: a '{file.MediaType}' file cannot be sent to an Anthropic upstream, which reads PDF and plain-text documents only.", path);
        }

        writer.WriteEndObject();
        if (file.Filename is { } filename)
        {
            writer.WriteString("title"u8, filename);
        }

        return null;
    }

    private static bool TryDecodeText(string base64, out string text)
    {
        text = "";
        var bytes = new byte[(base64.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(base64, bytes, out var written))
        {
            return false;
        }

        try
        {
            text = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written);
            return true;
        }
        catch (System.Text.DecoderFallbackException)
        {
            return false;
        }
    }

    private static ChatError? WriteToolUse(Utf8JsonWriter writer, ToolCallPart call, string path)
    {
        writer.WriteString("type"u8, "tool_use"u8);
        writer.WriteString("id"u8, call.Id);
        writer.WriteString("name"u8, call.Name);
        if (!ToolArguments.IsObject(call.ArgumentsJson, out var empty))
        {
            return ChatError.InvalidRequest(
                $"{path}: the arguments of tool call '{call.Id}' are not a JSON object, which Anthropic requires.", path);
        }

        writer.WritePropertyName("input"u8);

        if (empty)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteRawValue(call.ArgumentsJson, skipInputValidation: true);
        }

        return null;
    }

    private static ChatError? WriteToolResult(Utf8JsonWriter writer, ToolResultPart result, string path, DroppedHints dropped)
    {
        writer.WriteString("type"u8, "tool_result"u8);
        writer.WriteString("tool_use_id"u8, result.ToolCallId);
        if (result.Content.Count > 0)
        {
            writer.WritePropertyName("content"u8);
            var error = WriteContent(writer, result.Content, path + ".content", dropped);
            if (error is not null)
            {
                return error;
            }
        }

        if (result.IsError)
        {
            writer.WriteBoolean("is_error"u8, true);
        }

        return null;
    }

    private static ChatError? WriteThinking(Utf8JsonWriter writer, ThinkingPart thinking)
    {
        writer.WriteString("type"u8, "thinking"u8);
        writer.WriteString("thinking"u8, thinking.Text);
        writer.WriteString("signature"u8, thinking.Signature);
        return null;
    }

    private static ChatError? WriteRedacted(Utf8JsonWriter writer, RedactedThinkingPart redacted)
    {
        writer.WriteString("type"u8, "redacted_thinking"u8);
        writer.WriteString("data"u8, redacted.Data);
        return null;
    }
}
