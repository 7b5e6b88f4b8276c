using System.Buffers;

namespace Spillway.Core.Routing;

/// <summary>The client's API (OpenAI, Anthropic): how errors look on its routes, whole and mid-stream.</summary>
public interface IClientFormat
{
    /// <summary><c>openai</c> or <c>anthropic</c>, as the ledger records it.</summary>
    string Name { get; }

    void WriteError(IBufferWriter<byte> output, ClientError error);

    /// <summary>The in-band error event that ends a stream that failed after bytes reached the client.</summary>
    void WriteStreamError(IBufferWriter<byte> output, ClientError error);
}
