using System.Buffers;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Failures;
using Spillway.Core.Failures.Classification;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// Calling an upstream that speaks the Responses API (<c>format: openai-responses</c>, e.g. OpenAI's own
/// <c>/v1/responses</c>). For a Responses client it is a pass-through: the client's bytes go up with only the
/// route's model changed and the events come back byte for byte. Other clients' requests are encoded from the
/// canonical model. Its error bodies are OpenAI's, so the OpenAI family's rules classify them.
/// </summary>
internal sealed class ResponsesUpstreamProtocol : IUpstreamProtocol
{
    public WireFormat Format => WireFormat.OpenAIResponses;

    public string ChatPath(RouteStep step, bool stream) => "responses";

    public void WritePassThroughBody(InboundRequest inbound, RouteStep step, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        ArgumentNullException.ThrowIfNull(step);
        if (!TopLevelModelRewriter.Rewrite(inbound.Body.Span, step.UpstreamModel, output))
        {
            // The door decoded this body as a Responses request, so it has a model; never send it half-written.
            throw new InvalidOperationException("The Responses request body has no top-level model.");
        }
    }

    public ChatResult<EncodedPayload> Encode(ChatRequest request, RouteStep step) => ResponsesRequestEncoder.Encode(request);

    public void AddHeaders(HttpRequestMessage request, InboundRequest inbound, RouteStep step, bool passThrough)
    {
    }

    public TokenUsage? ReadUsage(ReadOnlyMemory<byte> responseBody) => ResponsesUsageReader.ReadBody(responseBody.Span);

    public ChatResult<ChatResponse> DecodeResponse(ReadOnlyMemory<byte> responseBody) => ResponsesResponseDecoder.Decode(responseBody);

    public IStreamRelay CreatePassThroughRelay(InboundRequest inbound)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        return new ResponsesPassThroughRelay(() => (ResponsesStreamEncoder)inbound.Client.CreateStreamEncoder(inbound));
    }

    public IUpstreamStreamDecoder CreateStreamDecoder() => new ResponsesStreamDecoder();

    public FailureClassification ClassifyStreamError(RouteStep step, ReadOnlySpan<byte> data, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(step);

        // An error event or a failed response carries a code, never a status: the code says which status it would
        // have had, and the error is classified as the OpenAI error body it would then have been.
        var error = ErrorOf(data);
        var body = OpenAI.OpenAIChatErrorCodec.EncodeBody(new ChatError(error.Status, error.Kind, error.Message) { Code = error.UpstreamCode });
        return UpstreamFailureClassifier.Classify(step.Provider.Id, step.Provider.RateLimits, error.Status, UpstreamHeaders.Empty, body, now);
    }

    private static ChatError ErrorOf(ReadOnlySpan<byte> data)
    {
        try
        {
            var reader = new Utf8JsonReader(data);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            return JsonElementReader.TryGet(root, "response", out var response)
                ? ResponsesStreamErrors.FromResponse(response)
                : ResponsesStreamErrors.FromErrorEvent(root);
        }
        catch (JsonException)
        {
            return new ChatError(502, ChatErrorKind.Server, "The upstream sent a malformed error event.");
        }
    }
}
