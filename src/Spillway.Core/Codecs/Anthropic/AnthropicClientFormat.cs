using System.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Routing;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>
/// Errors as Anthropic clients expect them on <c>/v1/messages</c>: <c>{"type":"error","error":{"type","message"}}</c>
/// with the type that goes with the status, and mid-stream as <c>event: error</c>.
/// </summary>
public sealed class AnthropicClientFormat : IClientFormat
{
    public static AnthropicClientFormat Instance { get; } = new();

    public string Name => "anthropic";

    public ChatFormat Format => ChatFormat.Anthropic;

    public ChatResult<ChatRequest> DecodeRequest(ChatCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return AnthropicRequestDecoder.Decode(call.Body, call.AnthropicBeta);
    }

    public ChatResult<EncodedPayload> EncodeResponse(ChatResponse response, ChatCall call) =>
        AnthropicResponseEncoder.Encode(response);

    public IChatStreamEncoder CreateStreamEncoder(ChatCall call) => new AnthropicStreamEncoder();

    public void WriteError(IBufferWriter<byte> output, ClientError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        AnthropicErrorCodec.WriteBody(output, AnthropicErrorCodec.TypeOfStatus(error.Status), error.Message);
    }

    public void WriteStreamError(IBufferWriter<byte> output, ClientError error)
    {
        ArgumentNullException.ThrowIfNull(error);

        // Mid-stream the status is already 200; the error's own status says what kind of failure it was.
        AnthropicErrorCodec.WriteStreamError(output, AnthropicErrorCodec.TypeOfStatus(error.Status), error.Message);
    }
}
