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
    /// <summary>The longest <c>Retry-After</c> a client is told: one day.</summary>
    private const long LongestRetryAfterSeconds = 24 * 60 * 60;

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
            // At most a day: clients turn the header into a timer, and Node's overflow past ~24.8 days.
            var seconds = Math.Clamp((long)Math.Ceiling((at - now).TotalSeconds), 1, LongestRetryAfterSeconds);
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
        if (stopper?.Class == FailureClass.Shutdown)
        {
            // Another instance (or this one, restarted) can serve it at once.
            retryAt = now + TimeSpan.FromSeconds(1);
            return new ChatError(503, ChatErrorKind.Overloaded, "The gateway is shutting down; retry on another instance.") { Code = Outcomes.Shutdown };
        }

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

        // Every key that could carry the request was rejected by its provider (401/403, now or at an earlier call
        // whose re-check is not due): waiting will not help, a fixed key will. Never a 429 (SDKs would report a rate
        // limit and back off), and no Retry-After.
        if (OnlyRejectedKeys(state))
        {
            retryAt = null;
            return new ChatError(
                502,
                ChatErrorKind.UpstreamFailed,
                $"The provider rejected {RejectedKeys(state)} for every route of '{call.RequestedModel}' (a wrong, revoked or unpaid key). " +
                $"Fix it, then reset it with `spillway keys reset ID` or POST /admin/keys/ID/reset; it is also re-checked on its own. Attempts: {Trail(state)}")
            {
                Code = Outcomes.KeyRejected,
            };
        }

        // Some route is only limited (a rate limit or spent quota that recovers); the others were skipped or their
        // keys rejected. Routes that are only behind open breakers are unwell, not limited: a 502 (below), not a 429.
        if (OnlyLimits(state))
        {
            if (SoonestBreakerProbe(state) is { } probe && (retryAt is null || probe < retryAt))
            {
                retryAt = probe;
            }

            retryAt ??= now + TimeSpan.FromSeconds(60);
            return new ChatError(
                429,
                ChatErrorKind.RateLimited,
                $"Every route of '{call.RequestedModel}' is rate limited or out of quota; the soonest recovers at {retryAt:O}. Attempts: {Trail(state)}");
        }

        // Every step that could carry the request was behind an open breaker: no call was made, and the client can
        // try again once the soonest breaker lets a probe through.
        if (state.UpstreamCalls == 0 &&
            state.Attempts.TrueForAll(a => a.Outcome is Outcomes.SkippedBreaker or Outcomes.SkippedPolicy or Outcomes.SkippedCapability) &&
            SoonestBreakerProbe(state) is { } soonestProbe)
        {
            retryAt = soonestProbe;
        }

        return new ChatError(
            502,
            ChatErrorKind.UpstreamFailed,
            $"No upstream of '{call.RequestedModel}' could serve the request. Attempts: {Trail(state)}")
        {
            Code = "all_routes_failed",
        };
    }

    /// <summary>When the soonest breaker that skipped a step of this request lets a probe through; null when none did.</summary>
    private DateTimeOffset? SoonestBreakerProbe(RequestState state) =>
        state.Attempts.Exists(a => a.Outcome == Outcomes.SkippedBreaker)
            ? _admission.SoonestBreakerAdmission(state.Attempts.Where(a => a.Outcome == Outcomes.SkippedBreaker).Select(a => a.Route))
            : null;

    private static bool IsRejection(AttemptRecord attempt) =>
        attempt.Outcome is Outcomes.SkippedKeyRejected || attempt.Outcome == Outcomes.Of(FailureClass.AuthFailed);

    private static bool IsLimit(AttemptRecord attempt) =>
        attempt.Outcome is Outcomes.SkippedCooldown or Outcomes.SkippedQuota ||
        attempt.Outcome == Outcomes.Of(FailureClass.RateLimited) || attempt.Outcome == Outcomes.Of(FailureClass.QuotaExhausted);

    /// <summary>Rejected keys, and otherwise only steps this request could never use (policy, capability).</summary>
    private static bool OnlyRejectedKeys(RequestState state) =>
        state.Attempts.Exists(IsRejection) &&
        state.Attempts.TrueForAll(a => IsRejection(a) || a.Outcome is Outcomes.SkippedPolicy or Outcomes.SkippedCapability);

    /// <summary>At least one limit that recovers on its own, and nothing but limits, rejections and skips.</summary>
    private static bool OnlyLimits(RequestState state) =>
        state.Attempts.Exists(IsLimit) &&
        state.Attempts.TrueForAll(a => IsLimit(a) || IsRejection(a) || Outcomes.IsSkip(a.Outcome));

    /// <summary>"key 'groq-1'" or "keys 'groq-1', 'gemini-1'": each rejected key once, in the chain's order.</summary>
    private static string RejectedKeys(RequestState state)
    {
        var ids = state.Attempts.Where(IsRejection).Select(a => a.KeyId).Distinct(StringComparer.Ordinal).ToList();
        return (ids.Count == 1 ? "key '" : "keys '") + string.Join("', '", ids) + "'";
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
