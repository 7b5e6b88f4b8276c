using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Gemini's <c>models/{model}:countTokens</c> (<see cref="GeminiPaths.CountTokens"/>): the request body for a
/// canonical request and the count from the answer.
/// </summary>
public static class GeminiCountTokens
{
    /// <summary>
    /// Encodes the body. A request of messages only is sent as <c>{"contents": […]}</c>; one with a system
    /// prompt, tools or settings goes whole as <c>{"generateContentRequest": {…}}</c>, since <c>contents</c>
    /// alone would leave the system prompt and tool declarations uncounted.
    /// </summary>
    public static ChatResult<EncodedPayload> EncodeRequest(ChatRequest request, GeminiEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var whole = request.System.Count > 0 || request.Tools.Count > 0 || !request.Extensions.IsEmpty;
        var hints = new GeminiHints();
        var buffer = new ArrayBufferWriter<byte>(512);
        ChatError? error;
        using (var writer = ChatJsonWriter.Create(buffer))
        {
            writer.WriteStartObject();
            if (whole)
            {
                writer.WriteStartObject("generateContentRequest"u8);
                writer.WriteString("model"u8, GeminiPaths.ModelPath(request.Model));
                error = GeminiRequestEncoder.WriteFields(writer, request, options ?? GeminiEncoderOptions.Default, hints);
                if (error is null)
                {
                    writer.WriteEndObject();
                }
            }
            else
            {
                var parts = new GeminiPartEncoder(hints, options ?? GeminiEncoderOptions.Default);
                error = new GeminiContentEncoder(hints, parts).Write(writer, request.Messages);
            }

            // A refusal leaves the writer inside the part it could not write: nothing more is written.
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

    /// <summary>
    /// Decodes a client's countTokens body: <c>{"contents": […]}</c>, or a whole request as
    /// <c>{"generateContentRequest": {…}}</c> (system prompt and tools included).
    /// </summary>
    public static ChatResult<ChatRequest> DecodeRequest(ReadOnlyMemory<byte> body, string model)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("generateContentRequest"u8, out var whole))
            {
                if (whole.ValueKind != JsonValueKind.Object)
                {
                    return new ChatResult<ChatRequest>(ChatError.InvalidRequest("generateContentRequest must be an object.", "generateContentRequest"));
                }

                // The inner request's own bytes, read while the document holds them.
                return GeminiRequestDecoder.Decode(JsonMarshal.GetRawUtf8Value(whole), model, stream: false);
            }
        }
        catch (JsonException)
        {
            // The decoder below says what is wrong with it.
        }

        return GeminiRequestDecoder.Decode(body.Span, model, stream: false);
    }

    /// <summary>The answer to a client's countTokens: <c>{"totalTokens": N}</c>.</summary>
    public static byte[] EncodeResponse(long totalTokens) =>
        GeminiJson.Build(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("totalTokens"u8, totalTokens);
            writer.WriteEndObject();
        }, 32);

    /// <summary>Decodes the answer's <c>totalTokens</c> and <c>cachedContentTokenCount</c>.</summary>
    public static ChatResult<GeminiTokenCount> DecodeResponse(ReadOnlySpan<byte> body)
    {
        long? total = null;
        long cached = 0;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isTotal = reader.ValueTextEquals("totalTokens"u8);
                    var isCached = reader.ValueTextEquals("cachedContentTokenCount"u8);
                    reader.Read();
                    if (isTotal)
                    {
                        total = GeminiJson.ReadInt64(ref reader);
                    }
                    else if (isCached)
                    {
                        cached = GeminiJson.ReadInt64(ref reader) ?? 0;
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
        }
        catch (JsonException)
        {
            total = null;
        }

        if (total is null)
        {
            return new ChatError(502, ChatErrorKind.Server, "Gemini's countTokens answer has no totalTokens.");
        }

        return new GeminiTokenCount(total.Value) { CachedContentTokens = cached };
    }
}
