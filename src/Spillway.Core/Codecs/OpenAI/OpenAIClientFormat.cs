using System.Buffers;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>The OpenAI Chat Completions client: errors as <c>{"error":{"message","type","param","code"}}</c>,
/// and mid-stream as <c>data: {"error":{...}}</c> with no <c>[DONE]</c>.</summary>
public sealed class OpenAIClientFormat : IClientFormat
{
    public static OpenAIClientFormat Instance { get; } = new();

    public string Name => "openai";

    public WireFormat Format => WireFormat.OpenAI;

    public ChatResult<ChatRequest> DecodeRequest(InboundRequest inbound)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        return OpenAIChatRequestDecoder.Decode(inbound.Body);
    }

    public ChatResult<EncodedPayload> EncodeResponse(ChatResponse response, InboundRequest inbound)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        return OpenAIChatResponseEncoder.Encode(response, inbound.ReceivedAt.ToUnixTimeSeconds());
    }

    public IChatStreamEncoder CreateStreamEncoder(InboundRequest inbound)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        return new OpenAIChatStreamEncoder(inbound.ReceivedAt.ToUnixTimeSeconds(), inbound.ClientWantsUsage);
    }

    public void WriteError(IBufferWriter<byte> output, ChatError error) => OpenAIChatErrorCodec.WriteBody(output, error);

    public void WriteStreamError(IBufferWriter<byte> output, ChatError error) => OpenAIChatErrorCodec.WriteStreamError(output, error);
}
