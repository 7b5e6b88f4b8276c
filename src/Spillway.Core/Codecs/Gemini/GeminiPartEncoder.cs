using System.Text.Json;
using Spillway.Core.Buffers;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Writes canonical content as Gemini <c>Part</c> objects, for requests and responses alike. Tool results are
/// not parts of this kind: <see cref="GeminiContentEncoder"/> writes them.
/// </summary>
internal sealed class GeminiPartEncoder(GeminiHints hints, GeminiEncoderOptions options)
{
    private const int MaxUrlInMessage = 100;

    /// <summary>False for content Gemini has no place for and that is left out (and reported) instead.</summary>
    public static bool Writes(ChatContentPart part) => part is not RedactedThinkingPart;

    /// <summary>Writes <paramref name="part"/> as one Gemini part, or returns the refusal.</summary>
    /// <param name="writer">Where the part goes, as an array item.</param>
    /// <param name="part">The content.</param>
    /// <param name="param">The part's place, for a refusal (<c>messages[2].content[0]</c>).</param>
    public ChatError? Write(Utf8JsonWriter writer, ChatContentPart part, string param)
    {
        var error = hints.Screen(part.Extensions, "a content part", param);
        if (error is not null)
        {
            return error;
        }

        switch (part)
        {
            case TextPart text:
                writer.WriteStartObject();
                writer.WriteString("text"u8, text.Text);
                break;
            case ThinkingPart thinking:
                writer.WriteStartObject();
                writer.WriteString("text"u8, thinking.Text);
                writer.WriteBoolean("thought"u8, true);
                if (thinking.Signature is not null)
                {
                    writer.WriteString("thoughtSignature"u8, thinking.Signature);
                }

                break;
            case ToolCallPart call:
                if (!IsArgumentsObject(call.ArgumentsJson))
                {
                    return ChatError.InvalidRequest(
                        $"The arguments of the call of '{call.Name}' at {param} are not a JSON object; Gemini takes "
                        + "function arguments only as an object.", param);
                }

                writer.WriteStartObject();
                writer.WriteStartObject("functionCall"u8);
                writer.WriteString("name"u8, call.Name);
                writer.WritePropertyName("args"u8);
                GeminiJson.WriteRaw(writer, string.IsNullOrWhiteSpace(call.ArgumentsJson) ? "{}" : call.ArgumentsJson);
                if (call.Id.Length > 0 && !GeminiToolCallIds.IsGenerated(call.Id))
                {
                    writer.WriteString("id"u8, call.Id);
                }

                writer.WriteEndObject();
                break;
            case ImagePart image:
                error = StartImage(writer, image, param);
                if (error is not null)
                {
                    return error;
                }

                break;
            case FilePart file:
                WriteInline(writer, file.MediaType, file.Base64Data);
                break;
            case OpaquePart { Format: WireFormat.Gemini } opaque:
                opaque.Json.WriteTo(writer);
                return null;
            case OpaquePart opaque:
                return ChatError.InvalidRequest(
                    $"The {opaque.Format} '{opaque.Type}' content at {param} cannot be carried to a Gemini model.", param);
            case RedactedThinkingPart:
                // Another provider's encrypted reasoning: Gemini cannot read it, and the answer does not depend on it.
                hints.Add("redacted_thinking");
                return null;
            default:
                return ChatError.InvalidRequest($"The content at {param} cannot be carried to a Gemini model here.", param);
        }

        WriteOwnExtensions(writer, part.Extensions);
        writer.WriteEndObject();
        return null;
    }

    /// <summary>
    /// Writes an image part. Gemini takes inline bytes anywhere, but a URI in <c>fileData</c> only when it can
    /// resolve it: Files API and <c>gs://</c> URIs always, public https URLs only on models that fetch them.
    /// </summary>
    private ChatError? StartImage(Utf8JsonWriter writer, ImagePart image, string param)
    {
        string? mimeType, data;
        switch (image.Source)
        {
            case ImageDataSource inline:
                WriteInline(writer, inline.MediaType, inline.Base64Data);
                return null;
            case ImageUrlSource { Url: var url } when GeminiImages.TryParseDataUri(url, out mimeType, out data):
                WriteInline(writer, mimeType, data);
                return null;
            case ImageUrlSource { Url: var url }
                when GeminiImages.IsGeminiFileUri(url) || (options.ExternalImageUrls && GeminiImages.IsHttpUrl(url)):
                mimeType = image.Extensions.Find(WireFormat.Gemini, GeminiNames.FileDataMimeType) is { } known
                    ? GeminiJson.StringOf(known)
                    : GeminiImages.GuessMimeType(url);
                writer.WriteStartObject();
                writer.WriteStartObject("fileData"u8);
                if (mimeType is not null)
                {
                    writer.WriteString("mimeType"u8, mimeType);
                }

                writer.WriteString("fileUri"u8, url);
                writer.WriteEndObject();
                return null;
            case ImageUrlSource { Url: var url }:
                var shown = url.Length > MaxUrlInMessage ? url[..MaxUrlInMessage] + "…" : url;
                return ChatError.InvalidRequest(
                    $"The image at {param} is given by the URL '{shown}', which this Gemini model cannot fetch (it "
                    + "reads only Files API and gs:// URIs); send the image inline as base64 instead.", param);
            default:
                return ChatError.InvalidRequest($"The image at {param} has a source Gemini cannot take.", param);
        }
    }

    private static void WriteInline(Utf8JsonWriter writer, string mimeType, string base64)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("inlineData"u8);
        writer.WriteString("mimeType"u8, mimeType);
        writer.WriteString("data"u8, base64);
        writer.WriteEndObject();
    }

    /// <summary>Writes back the Gemini fields the part came with (<c>thoughtSignature</c>, <c>videoMetadata</c>, …).</summary>
    private static void WriteOwnExtensions(Utf8JsonWriter writer, ChatExtensions extensions)
    {
        foreach (var extension in extensions.Of(WireFormat.Gemini))
        {
            if (!extension.Name.Contains('.', StringComparison.Ordinal))
            {
                writer.WritePropertyName(extension.Name);
                extension.Value.WriteTo(writer);
            }
        }
    }

    private static bool IsArgumentsObject(string json) => string.IsNullOrWhiteSpace(json) || JsonCompleteness.IsObject(json);
}
