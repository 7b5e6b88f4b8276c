using System.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;
using Spillway.Core.Routing;
using Spillway.Core.Routing.Classification;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// Calling an OpenAI-format upstream for an OpenAI client: a pass-through. The client's bytes go up with only the
/// route's model, the provider's parameter quirks and the usage request changed; answers come back byte for byte.
/// </summary>
internal sealed class OpenAIUpstreamProtocol : IUpstreamProtocol
{
    public WireFormat Format => WireFormat.OpenAI;

    public string ChatPath(ChatCall call, RouteStep step) => "chat/completions";

    public void WriteRequestBody(ChatCall call, RouteStep step, IBufferWriter<byte> output) =>
        // Usage is asked for on every stream, for the ledger; the engine hides it from a client that did not ask.
        OpenAIRequestRewriter.Rewrite(call.Body.Span, call.Sniff, step.UpstreamModel, output, step.Provider.Quirks, forceIncludeUsage: true);

    public TokenUsage? ReadUsage(ReadOnlySpan<byte> responseBody) => OpenAIUsageReader.Read(responseBody);

    public UpstreamEvent Inspect(string? eventName, ReadOnlySpan<byte> data)
    {
        var chunk = OpenAIStreamChunk.Inspect(data);
        return new UpstreamEvent(
            chunk.IsDone,
            chunk.IsError,
            chunk.IsContentBearing,
            chunk.IsUsageOnly,
            chunk.FinishReason is not null,
            chunk.IsMalformed,
            chunk.Usage);
    }

    public FailureClassification ClassifyStreamError(RouteStep step, ReadOnlySpan<byte> data, DateTimeOffset now)
    {
        // A mid-stream error chunk carries the status it would have had (OpenRouter: error.code; OpenAI: a code such
        // as rate_limit_exceeded); 502 when it does not.
        var error = OpenAIStreamChunk.Inspect(data).Error;
        var status = error?.Status is { } code and >= 400 and < 600
            ? code
            : OpenAiFamilyRules.StatusOf(error?.Code) ?? OpenAiFamilyRules.StatusOf(error?.Type) ?? 502;
        return UpstreamFailureClassifier.Classify(step.Provider.Id, step.Provider.RateLimits, status, UpstreamHeaders.Empty, data, now);
    }
}
