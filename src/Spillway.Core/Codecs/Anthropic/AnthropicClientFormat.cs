using System.Buffers;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>
/// Errors as Anthropic clients expect them on <c>/v1/messages</c>: <c>{"type":"error","error":{"type","message"}}</c>
/// with the type that goes with the error's kind, and mid-stream as <c>event: error</c>.
/// </summary>
public sealed class AnthropicClientFormat : IClientFormat
{
    public static AnthropicClientFormat Instance { get; } = new();

    public string Name => "anthropic";

    public WireFormat Format => WireFormat.Anthropic;

    public ChatResult<ChatRequest> DecodeRequest(InboundRequest inbound)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        return AnthropicRequestDecoder.Decode(inbound.Body, inbound.AnthropicBeta);
    }

    public ChatResult<EncodedPayload> EncodeResponse(ChatResponse response, InboundRequest inbound) =>
        AnthropicResponseEncoder.Encode(response);

    public IChatStreamEncoder CreateStreamEncoder(InboundRequest inbound) => new AnthropicStreamEncoder();

    public void WriteError(IBufferWriter<byte> output, ChatError error) => AnthropicErrorCodec.WriteBody(output, error);

    public void WriteStreamError(IBufferWriter<byte> output, ChatError error) => AnthropicErrorCodec.WriteStreamError(output, error);
}
