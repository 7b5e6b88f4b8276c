using System.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Failures;
using Spillway.Core.Failures.Classification;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// Calling an OpenAI-format upstream. For an OpenAI client it is a pass-through: the client's bytes go up with only
/// the route's model, the provider's parameter quirks and the usage request changed; answers come back byte for
/// byte. Other clients' requests are encoded from the canonical model.
/// </summary>
internal sealed class OpenAIUpstreamProtocol : IUpstreamProtocol
{
    public WireFormat Format => WireFormat.OpenAI;

    public string ChatPath(RouteStep step, bool stream) => "chat/completions";

    public void WritePassThroughBody(InboundRequest inbound, RouteStep step, IBufferWriter<byte> output) =>
        // Usage is asked for on every stream, for the ledger; the relay hides it from a client that did not ask.
        OpenAIRequestRewriter.Rewrite(
            inbound.Body.Span,
            inbound.Sniff ?? throw new InvalidOperationException("An OpenAI pass-through needs the sniffed request."),
            step.UpstreamModel,
            output,
            step.Provider.Quirks,
            forceIncludeUsage: true);

    public ChatResult<EncodedPayload> Encode(ChatRequest request, RouteStep step) =>
        // Usage is asked for on every stream, for the ledger and the client's own usage figures.
        OpenAIChatRequestEncoder.Encode(request with { IncludeUsage = request.Stream });

    public void AddHeaders(HttpRequestMessage request, InboundRequest inbound, RouteStep step, bool passThrough)
    {
    }

    public TokenUsage? ReadUsage(ReadOnlyMemory<byte> responseBody) => OpenAIUsageReader.Read(responseBody.Span);

    public bool TryReadAnswer(ReadOnlyMemory<byte> responseBody, out TokenUsage? usage) =>
        OpenAIUsageReader.TryReadComplete(responseBody.Span, out usage);

    public ChatResult<ChatResponse> DecodeResponse(ReadOnlyMemory<byte> responseBody) =>
        OpenAIChatResponseDecoder.Decode(responseBody);

    public IStreamRelay CreatePassThroughRelay(InboundRequest inbound) => new OpenAIPassThroughRelay(inbound.ClientWantsUsage);

    public IUpstreamStreamDecoder CreateStreamDecoder() => new OpenAIUpstreamStreamDecoder();

    public FailureClassification ClassifyStreamError(RouteStep step, ReadOnlySpan<byte> data, DateTimeOffset now)
    {
        // A mid-stream error chunk carries the status it would have had (OpenRouter: error.code; OpenAI: a code such
        // as rate_limit_exceeded); 502 when it does not.
        var error = OpenAIStreamChunk.Inspect(data).Error;
        var status = error?.Status is { } code and >= 400 and < 600
            ? code
            : OpenAIFamilyRules.StatusOf(error?.Code) ?? OpenAIFamilyRules.StatusOf(error?.Type) ?? 502;
        return UpstreamFailureClassifier.Classify(step.Provider.Id, step.Provider.RateLimits, status, UpstreamHeaders.Empty, data, now);
    }
}
