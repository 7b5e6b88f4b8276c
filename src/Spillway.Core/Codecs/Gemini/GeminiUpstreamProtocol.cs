using System.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Failures;
using Spillway.Core.Failures.Classification;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Calling Gemini's native API: <c>models/{model}:generateContent</c>, or <c>:streamGenerateContent?alt=sse</c>
/// for a stream, with the key in <c>x-goog-api-key</c>. No client speaks Gemini's format to the gateway, so every
/// request is encoded from the canonical model.
/// </summary>
internal sealed class GeminiUpstreamProtocol : IUpstreamProtocol
{
    private static readonly GeminiEncoderOptions FetchesUrls = new() { ExternalImageUrls = true };

    public WireFormat Format => WireFormat.Gemini;

    public string ChatPath(RouteStep step, bool stream) =>
        stream ? GeminiPaths.StreamGenerateContent(step.UpstreamModel) : GeminiPaths.GenerateContent(step.UpstreamModel);

    /// <summary>A Gemini client's body as it came: Gemini names the model in the path (<see cref="ChatPath"/>), never in the body.</summary>
    public void WritePassThroughBody(InboundRequest inbound, RouteStep step, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        ArgumentNullException.ThrowIfNull(output);
        output.Write(inbound.Body.Span);
    }

    public ChatResult<EncodedPayload> Encode(ChatRequest request, RouteStep step) =>
        // Gemini 3 models fetch public image URLs themselves; older ones take only inline data (wire-facts §3).
        GeminiRequestEncoder.Encode(request, step.UpstreamModel.StartsWith("gemini-3", StringComparison.Ordinal) ? FetchesUrls : null);

    public void AddHeaders(HttpRequestMessage request, InboundRequest inbound, RouteStep step, bool passThrough)
    {
    }

    public TokenUsage? ReadUsage(ReadOnlyMemory<byte> responseBody)
    {
        var decoded = GeminiResponseDecoder.Decode(responseBody.Span);
        return decoded.IsSuccess ? decoded.Value.Usage : null;
    }

    public ChatResult<ChatResponse> DecodeResponse(ReadOnlyMemory<byte> responseBody) => GeminiResponseDecoder.Decode(responseBody.Span);

    public IStreamRelay CreatePassThroughRelay(InboundRequest inbound) => new GeminiPassThroughRelay();

    public IUpstreamStreamDecoder CreateStreamDecoder() => new GeminiUpstreamStreamDecoder();

    public FailureClassification ClassifyStreamError(RouteStep step, ReadOnlySpan<byte> data, DateTimeOffset now)
    {
        // An in-band error chunk is a google.rpc.Status envelope whose code is the status it would have had.
        var error = GeminiErrorCodec.Decode(200, data);
        var status = error.Status is >= 400 and < 600 ? error.Status : ChatErrorKinds.DefaultStatus(error.Kind);
        return UpstreamFailureClassifier.Classify(step.Provider.Id, step.Provider.RateLimits, status, UpstreamHeaders.Empty, data, now);
    }
}
