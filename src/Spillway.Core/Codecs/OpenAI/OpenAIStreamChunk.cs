using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// Inspects the data of one OpenAI-format stream event (<c>chat.completion.chunk</c>) without deserializing it:
/// end marker, mid-stream error, whether it carries output, finish reason, usage.
/// </summary>
public static class OpenAIStreamChunk
{
    private static ReadOnlySpan<byte> Whitespace => " \t\r\n"u8;

    /// <summary>Inspects <paramref name="data"/>, the data of one SSE event. Never throws for bad data.</summary>
    /// <remarks>
    /// Most chunks are a text delta with no usage, no error and no finish reason. Span searches find those first;
    /// for them the reader walks only as far as the first sign of output, and nothing is allocated.
    /// </remarks>
    public static ChunkInfo Inspect(ReadOnlySpan<byte> data)
    {
        data = data.Trim(Whitespace);
        if (data.SequenceEqual("[DONE]"u8))
        {
            return new ChunkInfo { IsDone = true };
        }

        // False positives (the words inside content) only cost a full walk; the walk decides.
        var full = data.IndexOf("\"usage\""u8) >= 0
            || data.IndexOf("\"error\""u8) >= 0
            || HasStringFinishReason(data);
        try
        {
            return Walk(data, full);
        }
        catch (JsonException)
        {
            return new ChunkInfo { IsMalformed = true };
        }
    }

    private static ChunkInfo Walk(ReadOnlySpan<byte> data, bool full)
    {
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return new ChunkInfo { IsMalformed = true };
        }

        var choices = default(ChoiceScan);
        TokenUsage? usage = null, groqUsage = null;
        OpenAIErrorDetails? error = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                if (ScanChoices(ref reader, stopAtContent: !full, ref choices))
                {
                    // Fast path: no usage, error or finish reason can follow, and output is found.
                    return new ChunkInfo { IsContentBearing = true };
                }
            }
            else if (full && reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                usage = OpenAIUsageReader.ReadUsage(ref reader) ?? usage;
            }
            else if (full && reader.ValueTextEquals("x_groq"u8))
            {
                reader.Read();
                groqUsage = OpenAIUsageReader.ReadNestedUsage(ref reader) ?? groqUsage;
            }
            else if (full && reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                error = OpenAIErrorParser.Read(ref reader) ?? error;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return new ChunkInfo { IsMalformed = true };
        }

        var anyUsage = usage ?? groqUsage;
        return new ChunkInfo
        {
            Error = error,
            IsContentBearing = error is null && choices.ContentBearing,
            FinishReason = choices.FinishReason,
            Usage = anyUsage,
            IsUsageOnly = anyUsage is not null && error is null && choices.Count == 0,
        };
    }

    /// <summary>Scans <c>choices</c>; true when asked to stop at the first output and it found some.</summary>
    private static bool ScanChoices(ref Utf8JsonReader reader, bool stopAtContent, ref ChoiceScan scan)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            scan.Count++;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("delta"u8))
                {
                    reader.Read();
                    scan.ContentBearing |= DeltaHasOutput(ref reader);
                }
                else if (reader.ValueTextEquals("finish_reason"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        scan.FinishReason ??= FinishReasonOf(ref reader);
                        scan.ContentBearing = true;
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }

                if (stopAtContent && scan.ContentBearing)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool DeltaHasOutput(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        var output = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isText = reader.ValueTextEquals("content"u8)
                || reader.ValueTextEquals("refusal"u8)
                || reader.ValueTextEquals("reasoning"u8)
                || reader.ValueTextEquals("reasoning_content"u8);
            var isCall = !isText && (reader.ValueTextEquals("tool_calls"u8) || reader.ValueTextEquals("function_call"u8));
            reader.Read();
            if (isText)
            {
                // The raw text is empty exactly when the string is.
                output |= reader.TokenType == JsonTokenType.String && !reader.ValueSpan.IsEmpty;
            }
            else if (isCall)
            {
                output |= IsNonEmpty(reader);
            }

            reader.Skip();
        }

        return output;
    }

    private static bool IsNonEmpty(Utf8JsonReader reader)
    {
        // A copy of the reader looks one token ahead; the caller's reader stays where it is.
        return reader.TokenType switch
        {
            JsonTokenType.StartArray => reader.Read() && reader.TokenType != JsonTokenType.EndArray,
            JsonTokenType.StartObject => true,
            _ => false,
        };
    }

    private static string FinishReasonOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("stop"u8)) return "stop";
        if (reader.ValueTextEquals("length"u8)) return "length";
        if (reader.ValueTextEquals("tool_calls"u8)) return "tool_calls";
        if (reader.ValueTextEquals("content_filter"u8)) return "content_filter";
        if (reader.ValueTextEquals("function_call"u8)) return "function_call";
        if (reader.ValueTextEquals("error"u8)) return "error";
        return reader.GetString()!;
    }

    /// <summary>True when some <c>"finish_reason"</c> key has a string value (not <c>null</c>).</summary>
    private static bool HasStringFinishReason(ReadOnlySpan<byte> data)
    {
        const int KeyLength = 15;
        while (true)
        {
            var at = data.IndexOf("\"finish_reason\""u8);
            if (at < 0)
            {
                return false;
            }

            data = data[(at + KeyLength)..];
            var value = data.TrimStart(Whitespace);
            if (!value.IsEmpty && value[0] == (byte)':' && value[1..].TrimStart(Whitespace) is [(byte)'"', ..])
            {
                return true;
            }
        }
    }

    private struct ChoiceScan
    {
        public int Count;
        public bool ContentBearing;
        public string? FinishReason;
    }
}
