using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Encodes a canonical response as a Gemini <c>GenerateContentResponse</c>: one candidate, the finish reason
/// (Gemini's own word when the answer came from Gemini), usage per wire-facts §6, and the Gemini-only fields the
/// answer came with.
/// </summary>
/// <remarks>
/// A content-filter finish that carries Gemini's <c>promptFeedback</c> and no content is a blocked prompt: it is
/// written as Gemini writes one, without candidates. Another format's fields and redacted reasoning are left
/// out and reported; another format's opaque content and tool results (which an answer cannot hold) are refused.
/// </remarks>
public static class GeminiResponseEncoder
{
    /// <summary>Encodes <paramref name="response"/>.</summary>
    public static ChatResult<EncodedPayload> Encode(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var hints = new GeminiHints();
        var error = hints.Screen(response.Extensions, "the response");
        if (error is not null)
        {
            return error;
        }

        // An answer's image URLs came from the model's own side; nothing here has to fetch them.
        var parts = new GeminiPartEncoder(hints, new GeminiEncoderOptions { ExternalImageUrls = true });
        var body = GeminiJson.Build(writer =>
        {
            writer.WriteStartObject();
            error = WriteBody(writer, response, parts);
            if (error is null)
            {
                writer.WriteEndObject();
            }
        }, 512);
        if (error is not null)
        {
            return error;
        }

        return new EncodedPayload(body, hints.Names.ToArray());
    }

    /// <summary>Writes the first candidate's Gemini-only fields (<c>candidates.{name}</c> extensions).</summary>
    internal static void WriteCandidateExtensions(Utf8JsonWriter writer, ChatExtensions extensions)
    {
        foreach (var extension in extensions.Of(WireFormat.Gemini))
        {
            if (extension.Name.StartsWith(GeminiNames.CandidatePrefix, StringComparison.Ordinal))
            {
                writer.WritePropertyName(extension.Name.AsSpan(GeminiNames.CandidatePrefix.Length));
                extension.Value.WriteTo(writer);
            }
        }
    }

    private static ChatError? WriteBody(Utf8JsonWriter writer, ChatResponse response, GeminiPartEncoder parts)
    {
        var feedback = response.Extensions.Find(WireFormat.Gemini, GeminiNames.PromptFeedback);
        var blocked = feedback is not null && response.Content.Count == 0
            && response.Finish.Reason == FinishReason.ContentFilter;
        if (!blocked)
        {
            writer.WriteStartArray("candidates"u8);
            writer.WriteStartObject();
            writer.WriteStartObject("content"u8);
            writer.WriteStartArray("parts"u8);
            for (var i = 0; i < response.Content.Count; i++)
            {
                var part = response.Content[i];
                var param = $"content[{i}]";
                if (part is ToolResultPart)
                {
                    return ChatError.InvalidRequest($"An answer cannot hold a tool result ({param}).", param);
                }

                var error = parts.Write(writer, part, param);
                if (error is not null)
                {
                    return error;
                }
            }

            writer.WriteEndArray();
            writer.WriteString("role"u8, "model"u8);
            writer.WriteEndObject();
            writer.WriteString("finishReason"u8, GeminiFinishReasons.ToGemini(response.Finish));
            WriteCandidateExtensions(writer, response.Extensions);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        if (feedback is { } raw)
        {
            writer.WritePropertyName("promptFeedback"u8);
            raw.WriteTo(writer);
        }

        if (response.Usage is { } usage)
        {
            GeminiUsage.Write(writer, usage, response.Extensions);
        }

        writer.WriteString("modelVersion"u8, response.Model);
        writer.WriteString("responseId"u8, response.Id);
        foreach (var extension in response.Extensions.Of(WireFormat.Gemini))
        {
            if (!extension.Name.Contains('.', StringComparison.Ordinal) && extension.Name != GeminiNames.PromptFeedback)
            {
                writer.WritePropertyName(extension.Name);
                extension.Value.WriteTo(writer);
            }
        }

        return null;
    }
}
