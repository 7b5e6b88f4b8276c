using System.Buffers;
using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Encodes a canonical request as a Gemini <c>GenerateContentRequest</c> body. The model id is not in the body:
/// <see cref="GeminiPaths"/> puts it in the path.
/// </summary>
/// <remarks>
/// What has no Gemini field and does not change the answer is left out and named in
/// <see cref="EncodedPayload.DroppedHints"/>: other formats' vendor fields, <c>parallel_tool_calls: false</c>
/// (Gemini has no switch), <c>user</c>, <c>strict</c> on a tool, redacted reasoning, and schema keywords
/// Gemini's schema lacks (<c>schema.{keyword}</c>). What would change the answer is refused with a 400:
/// images by URL the model cannot fetch, another format's opaque content, vendor fields marked must-honour,
/// schemas Gemini cannot express, arguments that are not an object, tool results without their call.
/// </remarks>
public static class GeminiRequestEncoder
{
    /// <summary>Encodes <paramref name="request"/>.</summary>
    /// <param name="request">The canonical request.</param>
    /// <param name="options">What the target model can take beyond the defaults, or null for the defaults.</param>
    public static ChatResult<EncodedPayload> Encode(ChatRequest request, GeminiEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var hints = new GeminiHints();
        var buffer = new ArrayBufferWriter<byte>(1024);
        ChatError? error;
        using (var writer = ChatJsonWriter.Create(buffer))
        {
            writer.WriteStartObject();
            error = WriteFields(writer, request, options ?? GeminiEncoderOptions.Default, hints);
            if (error is null)
            {
                writer.WriteEndObject();
            }
        }

        if (error is not null)
        {
            return error;
        }

        return new EncodedPayload(buffer.WrittenSpan.ToArray(), hints.Names.ToArray());
    }

    /// <summary>Writes the request's fields into the open body object; shared with <c>countTokens</c>.</summary>
    internal static ChatError? WriteFields(
        Utf8JsonWriter writer, ChatRequest request, GeminiEncoderOptions options, GeminiHints hints)
    {
        var error = hints.Screen(request.Extensions, "the request");
        if (error is not null)
        {
            return error;
        }

        if (request.ParallelToolCalls == false)
        {
            hints.Add("parallel_tool_calls");
        }

        if (request.UserId is not null)
        {
            hints.Add("user");
        }

        var parts = new GeminiPartEncoder(hints, options);
        error = new GeminiContentEncoder(hints, parts).Write(writer, request.Messages)
            ?? WriteSystem(writer, request.System, hints)
            ?? GeminiToolEncoder.WriteTools(writer, request, hints);
        if (error is not null)
        {
            return error;
        }

        GeminiToolEncoder.WriteToolConfig(writer, request);
        error = GeminiGenerationConfigEncoder.Write(writer, request, hints);
        if (error is not null)
        {
            return error;
        }

        // Gemini's own top-level fields a Gemini client sent (safetySettings, cachedContent, …), as they came.
        foreach (var extension in request.Extensions.Of(WireFormat.Gemini))
        {
            if (!extension.Name.Contains('.', StringComparison.Ordinal)
                && extension.Name is not GeminiNames.Tools and not GeminiNames.ToolConfig)
            {
                writer.WritePropertyName(extension.Name);
                extension.Value.WriteTo(writer);
            }
        }

        return null;
    }

    private static ChatError? WriteSystem(Utf8JsonWriter writer, IReadOnlyList<TextPart> system, GeminiHints hints)
    {
        if (system.Count == 0)
        {
            return null;
        }

        writer.WriteStartObject("systemInstruction"u8);
        writer.WriteStartArray("parts"u8);
        for (var i = 0; i < system.Count; i++)
        {
            var error = hints.Screen(system[i].Extensions, "the system prompt", $"system[{i}]");
            if (error is not null)
            {
                return error;
            }

            writer.WriteStartObject();
            writer.WriteString("text"u8, system[i].Text);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return null;
    }
}
