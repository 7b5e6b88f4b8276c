using Spillway.Core.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Failures;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;

namespace Spillway.Core.Engine;

public sealed partial class FallbackEngine
{
    /// <summary>
    /// Builds the upstream body for a step: the client's bytes rewritten when both speak the same format, else the
    /// request decoded once into the canonical model and encoded in the upstream's format. Returns null when this
    /// step cannot carry the request (recorded as <c>skipped_capability</c>, no call made), and sets
    /// <paramref name="stop"/> when no step can (the client's request itself cannot be read).
    /// </summary>
    private PreparedRequest? Prepare(ChatCall call, RouteStep step, RequestState state, out FailureClassification? stop)
    {
        stop = null;
        if (!_protocols.TryGetValue(step.Provider.Format, out var protocol))
        {
            SkipForCapability(step, state, $"{step.Provider.Format} upstreams are not served", null);
            return null;
        }

        if (call.Client.Format == protocol.Format)
        {
            var body = new PooledBufferWriter(call.Inbound.Body.Length + 256);
            protocol.WritePassThroughBody(call.Inbound, step, body);
            return PreparedRequest.PassThroughOf(protocol, body);
        }

        var canonical = call.Inbound.Canonical;
        if (canonical.Error is { } unreadable)
        {
            stop = new FailureClassification(FailureClass.CallerFault, unreadable.Message);
            state.Refusal = unreadable;
            state.Attempts.Add(new AttemptRecord(step.Route, step.Key.Id, null, Outcomes.Of(FailureClass.CallerFault), 0, unreadable.Message));
            return null;
        }

        var request = ForRoute(canonical.Value, call, step);
        var encoded = protocol.Encode(request, step);
        if (encoded.Error is { } refused)
        {
            SkipForCapability(step, state, refused.Message, refused);
            return null;
        }

        return PreparedRequest.Translated(protocol, encoded.Value);
    }

    /// <summary>The canonical request as this route takes it: its model id, and the output cap within the model's limit.</summary>
    private static ChatRequest ForRoute(ChatRequest request, ChatCall call, RouteStep step)
    {
        var maxOutput = request.MaxOutputTokens;
        if (step.Provider.MaxOutputTokensOf(step.Model) is { } limit && maxOutput > limit)
        {
            maxOutput = limit;
        }

        return request with { Model = step.UpstreamModel, Stream = call.Stream, MaxOutputTokens = maxOutput };
    }

    private static void SkipForCapability(RouteStep step, RequestState state, string reason, ChatError? refusal)
    {
        state.Refusal ??= refusal;
        state.Attempts.Add(new AttemptRecord(step.Route, step.Key.Id, null, Outcomes.SkippedCapability, 0, reason));
    }

    /// <summary>The ledger note of a translated call: the two formats and what could not be carried.</summary>
    private static string? TranslationNote(ChatCall call, PreparedRequest prepared, IReadOnlyList<string> responseDropped)
    {
        if (prepared.PassThrough)
        {
            return null;
        }

        var dropped = prepared.DroppedHints.Concat(responseDropped).Distinct(StringComparer.Ordinal).ToList();
        var note = $"translated {call.Client.Name}→{prepared.Protocol.Format.ToString().ToLowerInvariant()}";
        return dropped.Count == 0 ? note : note + "; dropped: " + string.Join(", ", dropped);
    }
}
