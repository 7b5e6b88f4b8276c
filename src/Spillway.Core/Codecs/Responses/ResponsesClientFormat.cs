using System.Buffers;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// The OpenAI Responses client (<c>POST /v1/responses</c>): requests decoded into the canonical model at the door
/// (an upstream that speaks Responses itself gets the client's bytes instead), answers as <c>response</c> objects
/// and the Responses event stream, errors as <c>{"error":{"message","type","param","code"}}</c> and mid-stream as an <c>error</c> event
/// followed by <c>response.failed</c>.
/// </summary>
public sealed class ResponsesClientFormat : IClientFormat
{
    public static ResponsesClientFormat Instance { get; } = new();

    public string Name => "openai-responses";

    public WireFormat Format => WireFormat.OpenAIResponses;

    public ChatResult<ChatRequest> DecodeRequest(InboundRequest inbound)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        var decoded = ResponsesRequestDecoder.Decode(inbound.Body);
        return decoded.IsSuccess ? decoded.Value.Chat : decoded.Error!;
    }

    public ChatResult<EncodedPayload> EncodeResponse(ChatResponse response, InboundRequest inbound)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        return ResponsesResponseEncoder.Encode(response, inbound.ReceivedAt.ToUnixTimeSeconds(), RequestOf(inbound));
    }

    public IChatStreamEncoder CreateStreamEncoder(InboundRequest inbound)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        return new ResponsesStreamEncoder(inbound.ReceivedAt.ToUnixTimeSeconds(), RequestOf(inbound));
    }

    public void WriteError(IBufferWriter<byte> output, ChatError error) => ResponsesErrorWriter.WriteBody(output, error);

    /// <summary>
    /// The <c>error</c> event alone, numbered 0: the engine ends a stream it has been writing through that stream's
    /// encoder (<see cref="ResponsesStreamEncoder.WriteError"/>, numbered after its events, then <c>response.failed</c>).
    /// </summary>
    public void WriteStreamError(IBufferWriter<byte> output, ChatError error) => ResponsesErrorWriter.WriteStreamError(output, error, 0);

    /// <summary>The request as decoded at the door, for the fields the response object echoes.</summary>
    private static ChatRequest? RequestOf(InboundRequest inbound)
    {
        var canonical = inbound.Canonical;
        return canonical.IsSuccess ? canonical.Value : null;
    }
}
