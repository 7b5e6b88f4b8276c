using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>Reading one chunk with a forward-only reader: the hot path allocates only the strings it keeps.</summary>
public sealed partial class OpenAIChatStreamDecoder
{
    private Chunk ReadChunk(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        var chunk = new Chunk();
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A chunk must be a JSON object.");
        }

        List<ChatExtension>? metadata = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                chunk.Id = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                chunk.Model = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                ReadChoices(ref reader, chunk);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                chunk.Usage = ReadUsage(ref reader);
            }
            else if (reader.ValueTextEquals("x_groq"u8))
            {
                // Groq reports a stream's usage inside x_groq on its last chunk.
                reader.Read();
                if (OpenAIUsageReader.ReadNestedUsage(ref reader) is { } groq)
                {
                    chunk.Usage ??= groq;
                }
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                chunk.Error = OpenAIChatErrorCodec.FromDetails(OpenAIErrorParser.Read(ref reader), 0);
            }
            else if (!_started && (reader.ValueTextEquals("created"u8) || reader.ValueTextEquals("system_fingerprint"u8) ||
                                   reader.ValueTextEquals("service_tier"u8)))
            {
                // Kept for an OpenAI-format client, so a stream passed through the canonical model keeps them.
                var name = reader.GetString()!;
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var raw = data[start..(int)reader.BytesConsumed].ToArray();
                (metadata ??= []).Add(new ChatExtension(WireFormat.OpenAI, name, new RawJson(raw)));
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        chunk.Metadata = metadata is null ? ChatExtensions.Empty : ChatExtensions.Of(metadata);
        return chunk;
    }

    private static void ReadChoices(ref Utf8JsonReader reader, Chunk chunk)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            var first = true;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("index"u8))
                {
                    reader.Read();
                    first = !reader.TryGetInt32(out var index) || index == 0;
                }
                else if (first && reader.ValueTextEquals("delta"u8))
                {
                    reader.Read();
                    ReadDelta(ref reader, chunk);
                }
                else if (first && reader.ValueTextEquals("finish_reason"u8))
                {
                    chunk.FinishReason = ReadString(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
    }

    private static void ReadDelta(ref Utf8JsonReader reader, Chunk chunk)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                chunk.Content = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("reasoning_content"u8) || reader.ValueTextEquals("reasoning"u8))
            {
                chunk.Reasoning ??= ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                ReadToolCalls(ref reader, chunk.ToolCalls);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadToolCalls(ref Utf8JsonReader reader, List<ToolCallFragment> into)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            var fragment = new ToolCallFragment();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("index"u8))
                {
                    reader.Read();
                    fragment.Index = reader.TryGetInt32(out var index) ? index : 0;
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    fragment.Id = ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("function"u8))
                {
                    reader.Read();
                    ReadFunction(ref reader, fragment);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            into.Add(fragment);
        }
    }

    private static void ReadFunction(ref Utf8JsonReader reader, ToolCallFragment fragment)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                fragment.Name = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("arguments"u8))
            {
                fragment.Arguments = ReadString(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>A chunk's <c>usage</c>: null when it is not an object, zeros when it holds no counts.</summary>
    private static TokenUsage? ReadUsage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        return OpenAIUsageReader.ReadUsage(ref reader) ?? default;
    }

    /// <summary>Reads the next value as a string; null for null or a non-string.</summary>
    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private sealed class Chunk
    {
        public string? Id { get; set; }

        public string? Model { get; set; }

        public string? Content { get; set; }

        public string? Reasoning { get; set; }

        public string? FinishReason { get; set; }

        public TokenUsage? Usage { get; set; }

        public ChatError? Error { get; set; }

        public ChatExtensions Metadata { get; set; } = ChatExtensions.Empty;

        public List<ToolCallFragment> ToolCalls { get; } = [];
    }

    private sealed class ToolCallFragment
    {
        public int Index { get; set; }

        public string? Id { get; set; }

        public string? Name { get; set; }

        public string? Arguments { get; set; }
    }
}
