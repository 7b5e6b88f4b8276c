using System.Buffers;
using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Gemini's native embeddings (ai.google.dev/api/embeddings): one text goes to <c>models/{m}:embedContent</c> as
/// <c>{"content":{"parts":[{"text":…}]},"outputDimensionality":N}</c> and comes back as
/// <c>{"embedding":{"values":[…]}}</c>; a list goes to <c>:batchEmbedContents</c> as
/// <c>{"requests":[{"model":"models/{m}","content":…,"outputDimensionality":N},…]}</c> (each request names the model
/// again, which must match the path) and comes back as <c>{"embeddings":[{"values":[…]},…]}</c> in the same order.
/// The answers carry no token usage, so the caller counts the input itself.
/// </summary>
public static class GeminiEmbeddings
{
    /// <summary>The path for <paramref name="count"/> inputs: <c>:embedContent</c> for one, <c>:batchEmbedContents</c> for more.</summary>
    public static string PathFor(string model, int count, bool list) =>
        list || count != 1 ? GeminiPaths.BatchEmbedContents(model) : GeminiPaths.EmbedContent(model);

    /// <summary>Writes the request body for <paramref name="texts"/>: the batch form when <paramref name="list"/>
    /// (a client's list stays a list, even of one, so the answer keeps its shape), else the single form.</summary>
    public static void WriteRequest(IBufferWriter<byte> output, string model, IReadOnlyList<string> texts, int? dimensions, bool list)
    {
        ArgumentNullException.ThrowIfNull(texts);
        using var writer = ChatJsonWriter.Create(output);
        if (!list && texts.Count == 1)
        {
            writer.WriteStartObject();
            WriteContent(writer, texts[0], dimensions);
            writer.WriteEndObject();
            return;
        }

        var resource = GeminiPaths.ModelPath(model);
        writer.WriteStartObject();
        writer.WriteStartArray("requests"u8);
        foreach (var text in texts)
        {
            writer.WriteStartObject();
            writer.WriteString("model"u8, resource);
            WriteContent(writer, text, dimensions);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>
    /// The vectors of an <c>embedContent</c> or <c>batchEmbedContents</c> answer, in order; null when the body is
    /// neither shape (a 200 that is no answer) or holds a number that is not a float.
    /// </summary>
    public static List<float[]>? ReadVectors(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            List<float[]>? vectors = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("embedding"u8))
                {
                    reader.Read();
                    if (ReadEmbedding(ref reader) is not { } one)
                    {
                        return null;
                    }

                    vectors = [one];
                }
                else if (reader.ValueTextEquals("embeddings"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        return null;
                    }

                    vectors = [];
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (ReadEmbedding(ref reader) is not { } next)
                        {
                            return null;
                        }

                        vectors.Add(next);
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return vectors;
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return null;
        }
    }

    private static void WriteContent(Utf8JsonWriter writer, string text, int? dimensions)
    {
        writer.WriteStartObject("content"u8);
        writer.WriteStartArray("parts"u8);
        writer.WriteStartObject();
        writer.WriteString("text"u8, text);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        if (dimensions is { } n)
        {
            writer.WriteNumber("outputDimensionality"u8, n);
        }
    }

    /// <summary>Reads <c>{"values":[…]}</c> (the reader on its start); null when it is not that.</summary>
    private static float[]? ReadEmbedding(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        float[]? values = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isValues = reader.ValueTextEquals("values"u8);
            reader.Read();
            if (!isValues)
            {
                reader.Skip();
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return null;
            }

            var list = new List<float>(3072);
            while (reader.Read() && reader.TokenType == JsonTokenType.Number)
            {
                list.Add(reader.GetSingle());
            }

            if (reader.TokenType != JsonTokenType.EndArray)
            {
                return null;
            }

            values = [.. list];
        }

        return values;
    }
}
