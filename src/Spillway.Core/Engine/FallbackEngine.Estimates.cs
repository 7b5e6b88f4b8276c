using Spillway.Core.Providers;
using Spillway.Core.Tokens;

namespace Spillway.Core.Engine;

/// <summary>What a request is expected to use before it is sent: the one token estimate quota and budget admission share.</summary>
public sealed partial class FallbackEngine
{
    /// <summary>
    /// The request's input tokens, counted once per request: o200k over the canonical request (decoded once and
    /// shared with translation; images are not counted), or body bytes / 4 for a request the decoder refuses.
    /// </summary>
    private static long InputTokens(ChatCall call, RequestState state)
    {
        var canonical = call.Inbound.Canonical;
        state.EstimatedInputTokens ??= canonical.Error is null ? LocalTokenCounter.Count(canonical.Value) : call.Inbound.Body.Length / 4;
        return state.EstimatedInputTokens.Value;
    }

    /// <summary>The output the client allowed, within <paramref name="step"/>'s model limit; null when the client set no cap.</summary>
    private static long? AllowedOutputTokens(ChatCall call, RouteStep step)
    {
        var canonical = call.Inbound.Canonical;
        long? asked = canonical.Error is null ? canonical.Value.MaxOutputTokens : call.Inbound.Sniff?.OutputTokenLimit;
        return asked is { } cap && step.Provider.MaxOutputTokensOf(step.Model) is { } limit ? Math.Min(cap, limit) : asked;
    }
}
