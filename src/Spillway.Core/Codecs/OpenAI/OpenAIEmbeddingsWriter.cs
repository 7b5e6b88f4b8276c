using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// Writes OpenAI's embeddings answer (<c>CreateEmbeddingResponse</c>, wire-facts §1.6) for vectors that came from
/// another format: <c>{"object":"list","data":[{"object":"embedding","index":i,"embedding":[…]}],"model",
/// "usage":{"prompt_tokens","total_tokens"}}</c>. With <c>encoding_format: "base64"</c> each vector is its float32
/// values as little-endian bytes, base64-encoded: what the OpenAI SDKs decode (and what the npm SDK asks for by
/// default, decoding it itself).
/// </summary>
public static class OpenAIEmbeddingsWriter
{
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<float[]> vectors, string model, bool base64, long promptTokens)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        using var writer = ChatJsonWriter.Create(output);
        writer.WriteStartObject();
        writer.WriteString("object"u8, "list"u8);
        writer.WriteStartArray("data"u8);
        for (var i = 0; i < vectors.Count; i++)
        {
            writer.WriteStartObject();
            writer.WriteString("object"u8, "embedding"u8);
            writer.WriteNumber("index"u8, i);
            writer.WritePropertyName("embedding"u8);
            if (base64)
            {
                WriteBase64(writer, vectors[i]);
            }
            else
            {
                writer.WriteStartArray();
                foreach (var value in vectors[i])
                {
                    writer.WriteNumberValue(value);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("model"u8, model);
        writer.WriteStartObject("usage"u8);
        writer.WriteNumber("prompt_tokens"u8, promptTokens);
        writer.WriteNumber("total_tokens"u8, promptTokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteBase64(Utf8JsonWriter writer, float[] vector)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(vector.Length * sizeof(float));
        try
        {
            for (var i = 0; i < vector.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
            }

            writer.WriteBase64StringValue(bytes.AsSpan(0, vector.Length * sizeof(float)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
