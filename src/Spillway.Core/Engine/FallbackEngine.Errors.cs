using System.Globalization;
using System.Text;
using Spillway.Core.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Failures;
using Spillway.Core.Ledger;

namespace Spillway.Core.Engine;

public sealed partial class FallbackEngine
{
    /// <summary>No step served: one error in the client's format, with the attempt trail in the message. No
    /// <c>x-spillway-route</c> (no route served it); <c>x-spillway-tried</c> names the routes called.</summary>
    private async Task WriteFinalErrorAsync(
        ChatCall call, IClientResponse client, RequestState state, FailureClassification? stopper, CancellationToken aborted)
    {
        var now = _time.GetUtcNow();
        var error = FinalError(call, state, stopper, now, out var retryAt);
        state.ClientStatus = error.Status;
        state.Error = error.Message;
        if (client.HasStarted)
        {
            return;
        }

        client.SetHeader(SpillwayHeaders.RequestId, call.RequestId);
        client.SetHeader(SpillwayHeaders.Attempts, state.UpstreamCalls.ToString(CultureInfo.InvariantCulture));
        SetTried(client, state);

        if (retryAt is { } at)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling((at - now).TotalSeconds));
            client.SetHeader("Retry-After", seconds.ToString(CultureInfo.InvariantCulture));
        }

        using var body = new PooledBufferWriter(1024);
        call.Client.WriteError(body, error);
        await client.StartAsync(error.Status, "application/json", aborted);
        Write(client, body.WrittenSpan);
        await client.FlushAsync(aborted);
    }

    private ChatError FinalError(
        ChatCall call, RequestState state, FailureClassification? stopper, DateTimeOffset now, out DateTimeOffset? retryAt)
    {
        retryAt = _admission.SoonestRecovery(call.Plan.Steps, now);
        if (state.QuotaRecoversAt is { } quotaReset && quotaReset > now && (retryAt is null || quotaReset < retryAt))
        {
            retryAt = quotaReset;
        }

        if (stopper is not null && stopper.Class is FailureClass.CallerFault or FailureClass.ContentRefused)
        {
            var attempted = state.Attempts.Count > 0 ? state.Attempts[^1].Status ?? 400 : 400;
            var status = attempted is >= 400 and < 500 ? attempted : 400;

            // A caller fault is of the kind its upstream status says (a 413 is a request too large).
            var kind = stopper.Class == FailureClass.ContentRefused ? ChatErrorKind.ContentRefused : ChatErrorKinds.FromStatus(status);
            retryAt = null;
            return new ChatError(status, kind, stopper.Reason) { Code = Outcomes.Of(stopper.Class) };
        }

        // Every step was ruled out at plan time because the model lacks what the request needs (tools, images, JSON
        // mode, a long context): only a changed request can be served, and the trail names what is missing.
        if (state.Refusal is null && state.Attempts.Count > 0 &&
            state.Attempts.TrueForAll(a => a.Outcome == Outcomes.SkippedCapability))
        {
            retryAt = null;
            return new ChatError(
                400,
                ChatErrorKind.InvalidRequest,
                $"No route of '{call.RequestedModel}' supports what this request needs: {Trail(state)}")
            {
                Code = "unsupported_capability",
            };
        }

        if (call.Plan.Steps.IsEmpty)
        {
            retryAt = null;
            return new ChatError(
                403,
                ChatErrorKind.PermissionDenied,
                $"No route of '{call.RequestedModel}' is allowed for this request: {Trail(state)}")
            {
                Code = "no_route_allowed",
            };
        }

        // Every route that was not ruled out by policy refused what the request carries (an image a route cannot
        // read): the client must change the request, so it gets that reason in a 400, not a 429 or 502.
        if (state.Refusal is { } refusal &&
            state.Attempts.TrueForAll(a => a.Outcome is Outcomes.SkippedCapability or Outcomes.SkippedPolicy))
        {
            retryAt = null;
            return refusal;
        }

        // Only money stood in the way (the free routes were ruled out by policy or capability, the paid ones by the
        // client's budget): waiting for a rate limit will not help; the budget's next day or month will.
        if (state.UpstreamCalls == 0 &&
            state.Attempts.Exists(a => a.Outcome == Outcomes.SkippedBudget) &&
            state.Attempts.TrueForAll(a => a.Outcome is Outcomes.SkippedBudget or Outcomes.SkippedPolicy or Outcomes.SkippedCapability))
        {
            retryAt = state.BudgetRecoversAt;
            return new ChatError(
                402,
                ChatErrorKind.Billing,
                $"This client's budget cannot take a paid call on '{call.RequestedModel}' now and no free route is left. Attempts: {Trail(state)}")
            {
                Code = "budget_exceeded",
            };
        }

        // Routes that are only behind open breakers are unwell, not limited: a 502 (below), not a 429.
        var onlyLimits = state.Attempts.TrueForAll(a => a.Outcome is "rate_limited" or "quota_exhausted" ||
                                                        a.Outcome.StartsWith("skipped_", StringComparison.Ordinal)) &&
                         !state.Attempts.TrueForAll(a => a.Outcome == Outcomes.SkippedBreaker);
        if (onlyLimits)
        {
            retryAt ??= now + TimeSpan.FromSeconds(60);
            return new ChatError(
                429,
                ChatErrorKind.RateLimited,
                $"Every route of '{call.RequestedModel}' is rate limited or out of quota; the soonest recovers at {retryAt:O}. Attempts: {Trail(state)}");
        }

        // Every step that could carry the request was behind an open breaker: no call was made, and the client can
        // try again once the soonest breaker lets a probe through (at most a day away).
        if (state.UpstreamCalls == 0 &&
            state.Attempts.Exists(a => a.Outcome == Outcomes.SkippedBreaker) &&
            state.Attempts.TrueForAll(a => a.Outcome is Outcomes.SkippedBreaker or Outcomes.SkippedPolicy or Outcomes.SkippedCapability) &&
            _admission.SoonestBreakerAdmission(state.Attempts.Where(a => a.Outcome == Outcomes.SkippedBreaker).Select(a => a.Route)) is { } probe)
        {
            var latest = now + TimeSpan.FromDays(1);
            retryAt = probe < latest ? probe : latest;
        }

        return new ChatError(
            502,
            ChatErrorKind.UpstreamFailed,
            $"No upstream of '{call.RequestedModel}' could serve the request. Attempts: {Trail(state)}")
        {
            Code = "all_routes_failed",
        };
    }

    private static string Trail(RequestState state)
    {
        var text = new StringBuilder();
        foreach (var attempt in state.Attempts)
        {
            if (text.Length > 0)
            {
                text.Append("; ");
            }

            text.Append(attempt.Route).Append(" [").Append(attempt.KeyId).Append("] ").Append(attempt.Outcome);
            if (attempt.Detail is { Length: > 0 } detail)
            {
                text.Append(": ").Append(detail);
            }
        }

        return text.Length == 0 ? "none" : text.ToString();
    }
}
