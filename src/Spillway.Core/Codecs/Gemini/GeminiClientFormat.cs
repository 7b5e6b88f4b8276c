using System.Buffers;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Gemini's own API as a client speaks it (<c>:generateContent</c>, <c>:streamGenerateContent?alt=sse</c>): the
/// request decoded at the door (the model and whether to stream come from the path), answers and streams written as
/// Gemini writes them, errors in Gemini's shape (<c>{"error":{"code","message","status"}}</c>). A Gemini upstream gets
/// the client's body as it came.
/// </summary>
public sealed class GeminiClientFormat : IClientFormat
{
    public static GeminiClientFormat Instance { get; } = new();

    public string Name => "gemini";

    public WireFormat Format => WireFormat.Gemini;

    /// <summary>
    /// The door decodes every Gemini request (it needs the path's model), so this runs only for a request built
    /// without it; the route's own model replaces the empty one here either way.
    /// </summary>
    public ChatResult<ChatRequest> DecodeRequest(InboundRequest inbound)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        return GeminiRequestDecoder.Decode(inbound.Body.Span, string.Empty, inbound.Stream);
    }

    public ChatResult<EncodedPayload> EncodeResponse(ChatResponse response, InboundRequest inbound) =>
        GeminiResponseEncoder.Encode(response);

    public IChatStreamEncoder CreateStreamEncoder(InboundRequest inbound) => new GeminiStreamEncoder();

    public void WriteError(IBufferWriter<byte> output, ChatError error)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(GeminiErrorCodec.Encode(error));
    }

    public void WriteStreamError(IBufferWriter<byte> output, ChatError error) => GeminiErrorCodec.WriteStreamError(output, error);
}
