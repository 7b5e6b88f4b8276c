using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>Reads a <c>GenerateContentResponse</c> with a <see cref="Utf8JsonReader"/>, for answers and chunks alike.</summary>
internal static class GeminiResponseParser
{
    /// <summary>Reads <paramref name="utf8"/>; null when it is not a JSON object.</summary>
    public static GeminiResponseData? Read(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var data = new GeminiResponseData();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                switch (name)
                {
                    case "candidates":
                        ReadCandidates(ref reader, utf8, data);
                        break;
                    case "usageMetadata":
                        data.Usage = GeminiUsage.Read(ref reader, utf8);
                        break;
                    case "responseId":
                        data.ResponseId = GeminiJson.ReadString(ref reader);
                        break;
                    case "modelVersion":
                        data.ModelVersion = GeminiJson.ReadString(ref reader);
                        break;
                    case "promptFeedback":
                        var feedback = GeminiJson.Capture(ref reader, utf8);
                        data.BlockReason = BlockReasonOf(feedback);
                        data.Extensions.Add(new ChatExtension(WireFormat.Gemini, GeminiNames.PromptFeedback, feedback));
                        break;
                    case "error":
                        data.Error = GeminiJson.Capture(ref reader, utf8);
                        break;
                    default:
                        data.Extensions.Add(new ChatExtension(WireFormat.Gemini, name, GeminiJson.Capture(ref reader, utf8)));
                        break;
                }
            }

            return data;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void ReadCandidates(ref Utf8JsonReader reader, ReadOnlySpan<byte> source, GeminiResponseData data)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            data.CandidateCount++;
            if (data.CandidateCount > 1 || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                switch (name)
                {
                    case "content":
                        ReadContent(ref reader, source, data);
                        break;
                    case "finishReason":
                        data.FinishReason = GeminiJson.ReadString(ref reader);
                        break;
                    default:
                        data.Extensions.Add(new ChatExtension(
                            WireFormat.Gemini, GeminiNames.CandidatePrefix + name, GeminiJson.Capture(ref reader, source)));
                        break;
                }
            }
        }
    }

    private static void ReadContent(ref Utf8JsonReader reader, ReadOnlySpan<byte> source, GeminiResponseData data)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isParts = reader.ValueTextEquals("parts"u8);
            reader.Read();
            if (isParts)
            {
                data.Parts.AddRange(GeminiPartDecoder.ReadParts(ref reader, source));
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static string? BlockReasonOf(RawJson feedback)
    {
        var reader = new Utf8JsonReader(feedback.Utf8.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isReason = reader.ValueTextEquals("blockReason"u8);
            reader.Read();
            if (isReason)
            {
                return GeminiJson.ReadString(ref reader);
            }

            reader.Skip();
        }

        return null;
    }
}
