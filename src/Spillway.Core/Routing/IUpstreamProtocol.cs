using System.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Providers;

namespace Spillway.Core.Routing;

/// <summary>The part of a wire format the engine uses to call an upstream of that format.</summary>
internal interface IUpstreamProtocol
{
    WireFormat Format { get; }

    /// <summary>The path under the provider's base URL, e.g. <c>chat/completions</c>.</summary>
    string ChatPath(ChatCall call, RouteStep step);

    /// <summary>Writes the upstream request body for this step.</summary>
    void WriteRequestBody(ChatCall call, RouteStep step, IBufferWriter<byte> output);

    TokenUsage? ReadUsage(ReadOnlySpan<byte> responseBody);

    UpstreamEvent Inspect(string? eventName, ReadOnlySpan<byte> data);

    /// <summary>Classifies an error event inside a stream that had answered 200.</summary>
    FailureClassification ClassifyStreamError(RouteStep step, ReadOnlySpan<byte> data, DateTimeOffset now);
}
