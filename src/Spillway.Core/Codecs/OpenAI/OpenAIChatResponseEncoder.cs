using System.Buffers;
using System.Text;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>Writes a <see cref="ChatResponse"/> as an OpenAI <c>chat.completion</c> body with one choice.</summary>
public static class OpenAIChatResponseEncoder
{
    /// <summary>Encodes <paramref name="response"/>; thinking is dropped and reported, opaque content refused.</summary>
    /// <param name="response">The canonical answer.</param>
    /// <param name="created">
    /// The <c>created</c> Unix time to write when the answer did not come from an OpenAI-format host (which gives
    /// its own); from the caller's clock.
    /// </param>
    public static ChatResult<EncodedPayload> Encode(ChatResponse response, long created)
    {
        ArgumentNullException.ThrowIfNull(response);
        var dropped = new DroppedHints();
        var text = new StringBuilder();
        var calls = new List<ToolCallPart>();
        for (var i = 0; i < response.Content.Count; i++)
        {
            switch (response.Content[i])
            {
                case TextPart part:
                    text.Append(part.Text);
                    break;
                case ToolCallPart call:
                    calls.Add(call);
                    break;
                case ThinkingPart or RedactedThinkingPart:
                    dropped.Add("thinking");
                    break;
                default:
                    return OpenAIChatContentEncoder.Refuse(response.Content[i], $"content[{i}]");
            }
        }

        var output = new ArrayBufferWriter<byte>(512);
        using (var writer = ChatJsonWriter.Create(output))
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, ResponseIds.ForOpenAI(response.Id));
            writer.WriteString("object"u8, "chat.completion"u8);
            if (response.Extensions.Find(WireFormat.OpenAI, "created") is null)
            {
                writer.WriteNumber("created"u8, created);
            }

            writer.WriteString("model"u8, response.Model);
            writer.WriteStartArray("choices"u8);
            writer.WriteStartObject();
            writer.WriteNumber("index"u8, 0);
            writer.WriteStartObject("message"u8);
            writer.WriteString("role"u8, "assistant"u8);
            writer.WriteString("content"u8, text.Length == 0 && calls.Count > 0 ? null : text.ToString());
            writer.WriteNull("refusal"u8);
            OpenAIToolCallWriter.Write(writer, calls);
            ExtensionFields.WriteOwn(writer, WireFormat.OpenAI, response.Extensions, "message.");
            writer.WriteEndObject();
            writer.WriteNull("logprobs"u8);
            writer.WriteString("finish_reason"u8, OpenAIFinishReasons.Encode(response.Finish));
            writer.WriteEndObject();
            writer.WriteEndArray();
            if (response.Usage is { } usage)
            {
                OpenAIUsageWriter.Write(writer, usage);
            }

            ExtensionFields.WriteOwn(writer, WireFormat.OpenAI, response.Extensions);
            writer.WriteEndObject();
        }

        return new EncodedPayload(output.WrittenSpan.ToArray(), dropped.Names);
    }
}
