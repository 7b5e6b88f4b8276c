using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.OpenAI;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// Reads Responses message content (a string or a list of parts) into canonical parts: <c>input_text</c>,
/// <c>output_text</c> and <c>refusal</c> as text, <c>input_image</c> as an image, <c>input_file</c> as a file.
/// </summary>
internal static class ResponsesContentDecoder
{
    /// <summary>Reads <paramref name="content"/> at <paramref name="path"/>; <paramref name="textOnly"/> refuses anything but text.</summary>
    public static ChatError? Read(JsonElement content, string path, List<ChatContentPart> into, bool textOnly = false)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                into.Add(new TextPart(content.GetString()!));
                return null;
            case JsonValueKind.Array:
                break;
            default:
                return ChatError.InvalidRequest($"{path}: content must be a string or an array of parts.", path);
        }

        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}[{index++}]";
            var type = JsonElementReader.String(part, "type");
            ChatError? error;
            switch (type)
            {
                case "input_text" or "output_text" or "refusal":
                    error = ReadText(part, type, partPath, into);
                    break;
                case "input_image" when !textOnly:
                    error = ReadImage(part, partPath, into);
                    break;
                case "input_file" when !textOnly:
                    ReadFile(part, into);
                    error = null;
                    break;
                case null:
                    error = ChatError.InvalidRequest($"{partPath}.type: a content part needs a type.", partPath + ".type");
                    break;
                default:
                    error = ChatError.InvalidRequest(
                        textOnly
                            ? $"{partPath}: only input_text parts are allowed here, not '{type}'."
                            : $"{partPath}.type: '{type}' is not supported; use input_text, input_image or input_file.",
                        partPath + ".type");
                    break;
            }

            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static ChatError? ReadText(JsonElement part, string type, string path, List<ChatContentPart> into)
    {
        var field = type == "refusal" ? "refusal" : "text";
        var text = JsonElementReader.String(part, field);
        if (text is null)
        {
            return ChatError.InvalidRequest($"{path}.{field}: a string is required.", $"{path}.{field}");
        }

        into.Add(new TextPart(text));
        return null;
    }

    /// <summary>
    /// A file sent inline (<c>file_data</c> as a data URL) is one every format can carry; one named by
    /// <c>file_url</c> or <c>file_id</c> only a Responses host reads, so it is kept whole and other upstreams refuse it.
    /// </summary>
    private static void ReadFile(JsonElement part, List<ChatContentPart> into)
    {
        if (JsonElementReader.String(part, "file_data") is { } fileData && DataUri.TryParse(fileData, out var mediaType, out var data))
        {
            into.Add(new FilePart(mediaType, data, JsonElementReader.String(part, "filename")));
            return;
        }

        into.Add(new OpaquePart(WireFormat.OpenAIResponses, "input_file", JsonElementReader.Raw(part)));
    }

    private static ChatError? ReadImage(JsonElement part, string path, List<ChatContentPart> into)
    {
        var url = JsonElementReader.String(part, "image_url");
        if (url is null)
        {
            return JsonElementReader.TryGet(part, "file_id", out _)
                ? ChatError.InvalidRequest($"{path}.file_id: uploaded files are not supported; send image_url.", path + ".file_id")
                : ChatError.InvalidRequest($"{path}.image_url: a URL or data URL string is required.", path + ".image_url");
        }

        ImageSource source = DataUri.TryParse(url, out var mediaType, out var data)
            ? new ImageDataSource(mediaType, data)
            : new ImageUrlSource(url);

        // detail has the same meaning in Chat Completions, where it sits at image_url.detail.
        var extensions = JsonElementReader.TryGet(part, "detail", out var detail)
            ? ChatExtensions.Of([new ChatExtension(WireFormat.OpenAI, "image_url.detail", JsonElementReader.Raw(detail))])
            : ChatExtensions.Empty;
        into.Add(new ImagePart(source) { Extensions = extensions });
        return null;
    }
}
