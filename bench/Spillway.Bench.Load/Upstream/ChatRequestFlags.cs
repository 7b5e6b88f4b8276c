using System.Buffers;
using System.Text.Json;

namespace Spillway.Bench.Load.Upstream;

/// <summary>What the simulated upstream reads of a chat request: whether to stream, and whether to report usage.</summary>
internal readonly record struct ChatRequestFlags(bool Stream, bool IncludeUsage)
{
    /// <summary>Reads the top-level <c>stream</c> and <c>stream_options.include_usage</c>; false for what is absent or unreadable.</summary>
    public static ChatRequestFlags Read(ReadOnlySequence<byte> body)
    {
        var stream = false;
        var includeUsage = false;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("stream"u8))
                {
                    reader.Read();
                    stream = reader.TokenType == JsonTokenType.True;
                }
                else if (reader.ValueTextEquals("stream_options"u8))
                {
                    reader.Read();
                    includeUsage = ReadIncludeUsage(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // A body the simulator cannot read is answered as a plain, non-streamed request.
            return default;
        }

        return new ChatRequestFlags(stream, includeUsage);
    }

    private static bool ReadIncludeUsage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        var includeUsage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            if (isIncludeUsage)
            {
                includeUsage = reader.TokenType == JsonTokenType.True;
            }
            else
            {
                reader.Skip();
            }
        }

        return includeUsage;
    }
}
