using System.Buffers;
using System.Text.Json;

namespace Spillway.Core.Codecs;

/// <summary>
/// Writes a JSON request body with its top-level <c>model</c> replaced and every other byte as it came: a
/// same-format pass-through never re-serializes what it does not need to change.
/// </summary>
internal static class TopLevelModelRewriter
{
    /// <summary>Copies <paramref name="body"/> to <paramref name="output"/> with <c>model</c> set to <paramref name="model"/>.</summary>
    /// <returns>False when the body is not a JSON object with a top-level <c>model</c> (nothing is written).</returns>
    public static bool Rewrite(ReadOnlySpan<byte> body, string model, IBufferWriter<byte> output)
    {
        if (!TryFindModelValue(body, out var start, out var end))
        {
            return false;
        }

        output.Write(body[..start]);
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStringValue(model);
        }

        output.Write(body[end..]);
        return true;
    }

    private static bool TryFindModelValue(ReadOnlySpan<byte> body, out int start, out int end)
    {
        start = end = 0;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isModel = reader.ValueTextEquals("model"u8);
                reader.Read();
                if (isModel && reader.TokenType == JsonTokenType.String)
                {
                    start = (int)reader.TokenStartIndex;
                    end = (int)reader.BytesConsumed;
                    return true;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return false;
    }
}
