using System.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Failures;
using Spillway.Core.Failures.Classification;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Codecs.Anthropic;

/// <summary>
/// Calling an Anthropic-format upstream (<c>POST {base}/messages</c>). An Anthropic client's body goes up as it came
/// with only the route's model, and its <c>anthropic-version</c> and <c>anthropic-beta</c> headers with it; other
/// clients' requests are encoded from the canonical model.
/// </summary>
internal sealed class AnthropicUpstreamProtocol : IUpstreamProtocol
{
    /// <summary>The API version sent when the client gave none (the only stable one to date).</summary>
    public const string DefaultVersion = "2023-06-01";

    /// <summary>Anthropic requires <c>max_tokens</c>; this is sent when neither the client nor the route gives one.</summary>
    public const int DefaultMaxTokens = 4096;

    public WireFormat Format => WireFormat.Anthropic;

    public string ChatPath(RouteStep step, bool stream) => "messages";

    public void WritePassThroughBody(InboundRequest inbound, RouteStep step, IBufferWriter<byte> output)
    {
        if (!TopLevelModelRewriter.Rewrite(inbound.Body.Span, step.UpstreamModel, output))
        {
            // The door decoded this body as an Anthropic request, so it has a model; never send it half-written.
            throw new InvalidOperationException("The Anthropic request body has no top-level model.");
        }
    }

    public ChatResult<EncodedPayload> Encode(ChatRequest request, RouteStep step) =>
        AnthropicRequestEncoder.Encode(request, step.Provider.MaxOutputTokensOf(step.Model) ?? DefaultMaxTokens);

    public void AddHeaders(HttpRequestMessage request, InboundRequest inbound, RouteStep step, bool passThrough)
    {
        if (!request.Headers.Contains(AnthropicHeaders.Version))
        {
            request.Headers.TryAddWithoutValidation(AnthropicHeaders.Version, inbound.AnthropicVersion ?? DefaultVersion);
        }

        if (passThrough && inbound.AnthropicBeta is { Length: > 0 } beta)
        {
            request.Headers.TryAddWithoutValidation(AnthropicHeaders.Beta, beta);
        }
    }

    public TokenUsage? ReadUsage(ReadOnlyMemory<byte> responseBody)
    {
        var decoded = AnthropicResponseDecoder.Decode(responseBody);
        return decoded.IsSuccess ? decoded.Value.Usage : null;
    }

    public ChatResult<ChatResponse> DecodeResponse(ReadOnlyMemory<byte> responseBody) => AnthropicResponseDecoder.Decode(responseBody);

    public IStreamRelay CreatePassThroughRelay(InboundRequest inbound) => new AnthropicPassThroughRelay();

    public IUpstreamStreamDecoder CreateStreamDecoder() => new AnthropicUpstreamStreamDecoder();

    public FailureClassification ClassifyStreamError(RouteStep step, ReadOnlySpan<byte> data, DateTimeOffset now)
    {
        // event: error carries no status; its type says which it would have been (overloaded_error: 529).
        var error = AnthropicErrorCodec.Decode(200, data);
        var status = ChatErrorKinds.DefaultStatus(error.Kind);
        return UpstreamFailureClassifier.Classify(step.Provider.Id, step.Provider.RateLimits, status, UpstreamHeaders.Empty, data, now);
    }
}
