using System.Buffers;
using Spillway.Core.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Failures;
using Spillway.Core.Providers;

namespace Spillway.Core.Codecs;

/// <summary>
/// The part of a wire format the engine uses to call an upstream of that format: as a pass-through for a client
/// of the same format, or through the canonical model for any other.
/// </summary>
internal interface IUpstreamProtocol
{
    WireFormat Format { get; }

    /// <summary>The path under the provider's base URL, e.g. <c>chat/completions</c>.</summary>
    string ChatPath(RouteStep step, bool stream);

    /// <summary>Writes the body for a client of this same format: its bytes with only what the route needs changed.</summary>
    void WritePassThroughBody(InboundRequest inbound, RouteStep step, IBufferWriter<byte> output);

    /// <summary>Encodes a canonical request (model and output cap already set for the route).</summary>
    ChatResult<EncodedPayload> Encode(ChatRequest request, RouteStep step);

    /// <summary>Adds the headers the format needs besides the key (<c>anthropic-version</c>, the client's beta flags).</summary>
    void AddHeaders(HttpRequestMessage request, InboundRequest inbound, RouteStep step, bool passThrough);

    /// <summary>The usage in a whole answer relayed as is.</summary>
    TokenUsage? ReadUsage(ReadOnlyMemory<byte> responseBody);

    /// <summary>
    /// Whether a whole answer to relay as is arrived as one complete JSON value (a connection cut mid-body must not
    /// pass for an answer), and its usage (null when it reports none).
    /// </summary>
    /// <returns>False when the body is not complete; <paramref name="usage"/> is then null.</returns>
    bool TryReadAnswer(ReadOnlyMemory<byte> responseBody, out TokenUsage? usage)
    {
        if (!JsonCompleteness.IsComplete(responseBody.Span))
        {
            usage = null;
            return false;
        }

        usage = ReadUsage(responseBody);
        return true;
    }

    ChatResult<ChatResponse> DecodeResponse(ReadOnlyMemory<byte> responseBody);

    IStreamRelay CreatePassThroughRelay(InboundRequest inbound);

    IUpstreamStreamDecoder CreateStreamDecoder();

    /// <summary>Classifies an error event inside a stream that had answered 200.</summary>
    FailureClassification ClassifyStreamError(RouteStep step, ReadOnlySpan<byte> data, DateTimeOffset now);
}
