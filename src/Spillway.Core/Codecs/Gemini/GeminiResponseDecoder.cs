using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>Decodes a Gemini <c>GenerateContentResponse</c> (a whole, non-streamed answer) into a canonical response.</summary>
/// <remarks>
/// Only the first candidate is read: the canonical model has one answer, and the encoder never asks for more.
/// A function call without an id gets <c>call_{responseId}_{n}</c>. A prompt Gemini blocked (no candidate, a
/// <c>promptFeedback.blockReason</c>) is an empty answer finished by <see cref="FinishReason.ContentFilter"/>
/// with the block reason as the original word. Gemini-only fields (<c>avgLogprobs</c>, <c>safetyRatings</c>,
/// usage details, …) ride in the response's extensions, so the Gemini encoder can write them back.
/// </remarks>
public static class GeminiResponseDecoder
{
    /// <summary>Decodes <paramref name="body"/>.</summary>
    public static ChatResult<ChatResponse> Decode(ReadOnlySpan<byte> body)
    {
        var data = GeminiResponseParser.Read(body);
        if (data is null)
        {
            return new ChatError(502, ChatErrorKind.Server, "Gemini answered with a body that is not a JSON object.");
        }

        if (!data.Error.IsEmpty)
        {
            // An error inside a 2xx body: its own code says what failed.
            return GeminiErrorCodec.Decode(200, data.Error);
        }

        ChatFinish finish;
        var content = new List<ChatContentPart>();
        if (data.CandidateCount == 0)
        {
            if (data.BlockReason is null)
            {
                return new ChatError(502, ChatErrorKind.Server, "Gemini answered with no candidate and no block reason.");
            }

            finish = GeminiFinishReasons.Blocked(data.BlockReason);
        }
        else
        {
            var calls = 0;
            foreach (var part in data.Parts)
            {
                content.Add(part.Kind == GeminiPartKind.FunctionResponse
                    ? new OpaquePart(WireFormat.Gemini, "functionResponse", part.Raw)
                    : GeminiPartConverter.ToCanonical(part, data.ResponseId, ref calls));
            }

            finish = GeminiFinishReasons.ToCanonical(data.FinishReason, calls > 0);
        }

        var extensions = data.Extensions;
        if (data.Usage is not null)
        {
            extensions.AddRange(data.Usage.Extensions);
        }

        return new ChatResponse(data.ResponseId ?? string.Empty, data.ModelVersion ?? string.Empty, content, finish)
        {
            Usage = data.Usage?.ToCanonical(),
            Extensions = ChatExtensions.Of(extensions),
        };
    }
}
