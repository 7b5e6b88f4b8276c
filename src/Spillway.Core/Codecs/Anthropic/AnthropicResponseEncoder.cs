using System.Buffers;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>Writes a <see cref="ChatResponse"/> as an Anthropic <c>message</c> body.</summary>
public static class AnthropicResponseEncoder
{
    /// <summary>Encodes <paramref name="response"/>; content Anthropic cannot carry is refused.</summary>
    public static ChatResult<EncodedPayload> Encode(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var dropped = new DroppedHints();
        var output = new ArrayBufferWriter<byte>(512);
        using (var writer = ChatJsonWriter.Create(output))
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, ResponseIds.ForAnthropic(response.Id));
            writer.WriteString("type"u8, "message"u8);
            writer.WriteString("role"u8, "assistant"u8);
            writer.WriteString("model"u8, response.Model);
            writer.WriteStartArray("content"u8);
            var error = AnthropicContentEncoder.WriteBlocks(writer, response.Content, "content", dropped);
            if (error is not null)
            {
                return error;
            }

            writer.WriteEndArray();
            writer.WriteString("stop_reason"u8, AnthropicStopReasons.Encode(response.Finish));
            writer.WriteString("stop_sequence"u8, response.Finish.StopSequence);
            AnthropicUsage.Write(writer, response.Usage ?? default, response.Extensions);

            // Response metadata of another format (OpenAI created, system_fingerprint) is not a caller's hint: not reported.
            AnthropicExtensionFields.WriteOwn(writer, response.Extensions);
            writer.WriteEndObject();
        }

        return new EncodedPayload(output.WrittenSpan.ToArray(), dropped.Names);
    }
}
