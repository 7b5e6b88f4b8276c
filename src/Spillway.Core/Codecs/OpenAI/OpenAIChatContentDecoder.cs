using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>Reads OpenAI message content (a string or an array of parts) into canonical parts.</summary>
internal static class OpenAIChatContentDecoder
{
    private static readonly string[] TextKeys = ["type", "text"];
    private static readonly string[] ImageKeys = ["type", "image_url"];
    private static readonly string[] ImageUrlKeys = ["url"];

    /// <summary>Reads <paramref name="content"/>; null content adds nothing.</summary>
    public static ChatError? Read(JsonElement content, string path, List<ChatContentPart> into, bool textOnly = false)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return null;
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
            if (type is "text" or "refusal")
            {
                var text = JsonElementReader.String(part, type);
                if (text is null)
                {
                    return ChatError.InvalidRequest($"{partPath}.{type}: a string is required.", partPath);
                }

                into.Add(new TextPart(text) { Extensions = ExtensionFields.Of(WireFormat.OpenAI, part, TextKeys) });
            }
            else if (textOnly)
            {
                return ChatError.InvalidRequest($"{partPath}: only text parts are allowed here.", partPath);
            }
            else if (type == "image_url")
            {
                var image = ReadImage(part, partPath, out var error);
                if (error is not null)
                {
                    return error;
                }

                into.Add(image!);
            }
            else if (type is null)
            {
                return ChatError.InvalidRequest($"{partPath}.type: a part needs a type.", partPath);
            }
            else
            {
                // input_audio, file, …: parts only OpenAI-format hosts read, kept whole.
                into.Add(new OpaquePart(WireFormat.OpenAI, type, JsonElementReader.Raw(part)));
            }
        }

        return null;
    }

    private static ImagePart? ReadImage(JsonElement part, string path, out ChatError? error)
    {
        error = null;
        if (!JsonElementReader.TryGet(part, "image_url", out var imageUrl) ||
            JsonElementReader.String(imageUrl, "url") is not { } url)
        {
            error = ChatError.InvalidRequest($"{path}.image_url.url: a URL is required.", path);
            return null;
        }

        var extras = new List<ChatExtension>();
        ExtensionFields.Collect(WireFormat.OpenAI, part, ImageKeys, extras);
        ExtensionFields.Collect(WireFormat.OpenAI, imageUrl, ImageUrlKeys, extras, "image_url.");
        ImageSource source = DataUri.TryParse(url, out var mediaType, out var data)
            ? new ImageDataSource(mediaType, data)
            : new ImageUrlSource(url);
        return new ImagePart(source) { Extensions = ChatExtensions.Of(extras) };
    }
}
