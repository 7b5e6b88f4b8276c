using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>Turns a Gemini part (other than a function response) into canonical content.</summary>
internal static class GeminiPartConverter
{
    /// <summary>
    /// Converts <paramref name="part"/>. A function call without an id gets one from
    /// <see cref="GeminiToolCallIds"/>, numbered by <paramref name="callCount"/> within <paramref name="idScope"/>.
    /// </summary>
    public static ChatContentPart ToCanonical(GeminiPart part, string? idScope, ref int callCount)
    {
        ChatContentPart converted;
        var signatureOnPart = part.Signature;
        switch (part.Kind)
        {
            case GeminiPartKind.Text when part.Thought:
                converted = new ThinkingPart(part.Text ?? string.Empty, part.Signature);
                signatureOnPart = null;
                break;
            case GeminiPartKind.Text:
                converted = new TextPart(part.Text ?? string.Empty);
                break;
            case GeminiPartKind.FunctionCall:
                var id = string.IsNullOrEmpty(part.CallId) ? GeminiToolCallIds.Generate(idScope, callCount) : part.CallId;
                callCount++;
                converted = new ToolCallPart(
                    id, part.Name ?? string.Empty, part.Payload.IsEmpty ? string.Empty : part.Payload.ToString());
                break;
            case GeminiPartKind.InlineData when GeminiImages.IsImageMime(part.MimeType) && part.Data is not null:
                converted = new ImagePart(new ImageDataSource(part.MimeType!, part.Data));
                break;
            case GeminiPartKind.FileData when GeminiImages.IsImageMime(part.MimeType) && part.Data is not null:
                converted = new ImagePart(new ImageUrlSource(part.Data));
                part.Extensions.Add(new ChatExtension(
                    WireFormat.Gemini, GeminiNames.FileDataMimeType, RawJsonOf(part.MimeType!)));
                break;
            default:
                // Audio, video, documents, code execution: only Gemini can carry them, so they travel whole.
                return new OpaquePart(WireFormat.Gemini, TypeOf(part), part.Raw);
        }

        if (signatureOnPart is not null)
        {
            part.Extensions.Add(new ChatExtension(WireFormat.Gemini, GeminiNames.ThoughtSignature, RawJsonOf(signatureOnPart)));
        }

        return part.Extensions.Count == 0 ? converted : converted with { Extensions = ChatExtensions.Of(part.Extensions) };
    }

    public static RawJson RawJsonOf(string value) =>
        new(GeminiJson.Build(writer => writer.WriteStringValue(value), value.Length + 8));

    private static string TypeOf(GeminiPart part) => part.Kind switch
    {
        GeminiPartKind.InlineData => "inlineData",
        GeminiPartKind.FileData => "fileData",
        GeminiPartKind.FunctionResponse => "functionResponse",
        _ => part.OtherType ?? "part",
    };
}
