using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>Writes canonical user content as OpenAI content: a string, or an array of text and image parts.</summary>
internal static class OpenAIChatContentEncoder
{
    /// <summary>Writes <paramref name="parts"/> as a <c>content</c> value; refuses a part OpenAI cannot carry.</summary>
    public static ChatError? Write(Utf8JsonWriter writer, IReadOnlyList<ChatContentPart> parts, string path, DroppedHints dropped)
    {
        if (parts is [TextPart single] && !HasOwn(single.Extensions))
        {
            writer.WriteStringValue(single.Text);
            return dropped.DropForeign(single.Extensions, WireFormat.OpenAI, path);
        }

        writer.WriteStartArray();
        for (var i = 0; i < parts.Count; i++)
        {
            var error = WritePart(writer, parts[i], $"{path}[{i}]", dropped);
            if (error is not null)
            {
                return error;
            }
        }

        writer.WriteEndArray();
        return null;
    }

    /// <summary>
    /// Writes text parts as one string (joined by a newline) unless one carries OpenAI's own fields: several hosts
    /// (Groq) take only a string in a <c>tool</c> message, and the parts' boundaries carry no meaning there.
    /// </summary>
    public static ChatError? WriteJoinedText(Utf8JsonWriter writer, IReadOnlyList<ChatContentPart> parts, string path, DroppedHints dropped)
    {
        if (!parts.All(part => part is TextPart text && !HasOwn(text.Extensions)))
        {
            return Write(writer, parts, path, dropped);
        }

        writer.WriteStringValue(string.Join("\n", parts.Select(part => ((TextPart)part).Text)));
        for (var i = 0; i < parts.Count; i++)
        {
            var error = dropped.DropForeign(parts[i].Extensions, WireFormat.OpenAI, $"{path}[{i}]");
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static ChatError? WritePart(Utf8JsonWriter writer, ChatContentPart part, string path, DroppedHints dropped)
    {
        switch (part)
        {
            case TextPart text:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "text"u8);
                writer.WriteString("text"u8, text.Text);
                ExtensionFields.WriteOwn(writer, WireFormat.OpenAI, text.Extensions);
                writer.WriteEndObject();
                return dropped.DropForeign(text.Extensions, WireFormat.OpenAI, path);
            case ImagePart image:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "image_url"u8);
                writer.WriteStartObject("image_url"u8);
                writer.WriteString("url"u8, image.Source switch
                {
                    ImageDataSource data => DataUri.Create(data.MediaType, data.Base64Data),
                    ImageUrlSource url => url.Url,
                    _ => "",
                });
                ExtensionFields.WriteOwn(writer, WireFormat.OpenAI, image.Extensions, "image_url.");
                writer.WriteEndObject();
                ExtensionFields.WriteOwn(writer, WireFormat.OpenAI, image.Extensions);
                writer.WriteEndObject();
                return dropped.DropForeign(image.Extensions, WireFormat.OpenAI, path);
            case FilePart file:
                // Chat Completions' file part: {"type":"file","file":{"filename","file_data":"data:…;base64,…"}}.
                writer.WriteStartObject();
                writer.WriteString("type"u8, "file"u8);
                writer.WriteStartObject("file"u8);
                if (file.Filename is { } filename)
                {
                    writer.WriteString("filename"u8, filename);
                }

                writer.WriteString("file_data"u8, DataUri.Create(file.MediaType, file.Base64Data));
                writer.WriteEndObject();
                writer.WriteEndObject();
                return null;
            case OpaquePart { Format: WireFormat.OpenAI } opaque:
                opaque.Json.WriteTo(writer);
                return null;
            default:
                return Refuse(part, path);
        }
    }

    /// <summary>The refusal for a part an OpenAI-format upstream cannot be sent.</summary>
    public static ChatError Refuse(ChatContentPart part, string path) => ChatError.InvalidRequest(
        part switch
        {
            OpaquePart opaque => $"{path}: '{opaque.Type}' content ({opaque.Format}) cannot be sent to an OpenAI-format upstream.",
            ToolResultPart => $"{path}: a tool result belongs in a tool message.",
            _ => $"{path}: {part.GetType().Name} content cannot be sent to an OpenAI-format upstream here.",
        },
        path);

    private static bool HasOwn(ChatExtensions extensions) => extensions.Items.Any(x => x.Format == WireFormat.OpenAI);
}
