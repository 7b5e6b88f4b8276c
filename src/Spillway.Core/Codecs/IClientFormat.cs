using System.Buffers;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs;

/// <summary>The client's API (OpenAI, Anthropic): how its request is read, and its answers and errors written.</summary>
public interface IClientFormat
{
    /// <summary><c>openai</c> or <c>anthropic</c>, as the ledger records it.</summary>
    string Name { get; }

    /// <summary>The wire format; an upstream of the same one is served as a pass-through.</summary>
    WireFormat Format { get; }

    /// <summary>Decodes the client's body into the canonical model, for an upstream of another format.</summary>
    ChatResult<ChatRequest> DecodeRequest(InboundRequest inbound);

    /// <summary>Encodes an answer translated from another format.</summary>
    ChatResult<EncodedPayload> EncodeResponse(ChatResponse response, InboundRequest inbound);

    /// <summary>An encoder for a stream translated from another format.</summary>
    IChatStreamEncoder CreateStreamEncoder(InboundRequest inbound);

    /// <summary>The error body, with the type (and code) the format gives the error's kind.</summary>
    void WriteError(IBufferWriter<byte> output, ChatError error);

    /// <summary>The in-band error event that ends a stream that failed after bytes reached the client.</summary>
    void WriteStreamError(IBufferWriter<byte> output, ChatError error);
}
