using System.Globalization;
using System.Text;
using Spillway.Core.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Failures;
using Spillway.Core.Ledger;
using Spillway.Core.Planning;

namespace Spillway.Core.Engine;

/// <summary>
/// The one error a client gets when no step of its plan served, decided from the attempt trail alone, so the chat
/// engine and the embeddings path answer a spent chain the same way (src/Spillway.Core/README.md, after the request
/// path table): 429 with <c>Retry-After</c> when only limits stood in the way, 402 for budgets, 502 for rejected keys
/// or failed upstreams, the stopping step's own reason for a caller fault.
/// </summary>
internal static class ChainErrors
{
    /// <summary>The longest <c>Retry-After</c> a client is told: one day.</summary>
    public const long LongestRetryAfterSeconds = 24 * 60 * 60;

    /// <summary>The <c>Retry-After</c> seconds until <paramref name="at"/>: at least one, at most a day (clients turn
    /// the header into a timer, and Node's overflows past ~24.8 days).</summary>
    public static long RetryAfterSeconds(DateTimeOffset at, DateTimeOffset now) =>
        Math.Clamp((long)Math.Ceiling((at - now).TotalSeconds), 1, LongestRetryAfterSeconds);

    /// <summary>
    /// Answers a request no step served (chat and embeddings alike): <see cref="Final"/>'s error in the client's
    /// format, with the request id, the upstream call count, the routes tried and <c>Retry-After</c> when waiting is
    /// worth it; no <c>x-spillway-route</c>, since no route served it. Records the status and reason in
    /// <paramref name="state"/>; writes nothing more once the client's answer has begun.
    /// </summary>
    public static async Task WriteFinalAsync(
        Admission admission,
        RoutePlan plan,
        string requestId,
        string requestedModel,
        IClientFormat format,
        IClientResponse client,
        RequestState state,
        FailureClassification? stopper,
        DateTimeOffset now,
        CancellationToken aborted)
    {
        var error = Final(admission, plan, requestedModel, state, stopper, now, out var retryAt);
        state.ClientStatus = error.Status;
        state.Error = error.Message;
        if (client.HasStarted)
        {
            return;
        }

        client.SetHeader(SpillwayHeaders.RequestId, requestId);
        client.SetHeader(SpillwayHeaders.Attempts, state.UpstreamCalls.ToString(CultureInfo.InvariantCulture));
        ServedHeaders.SetTried(client, state);
        if (retryAt is { } at)
        {
            client.SetHeader("Retry-After", RetryAfterSeconds(at, now).ToString(CultureInfo.InvariantCulture));
        }

        using var body = new PooledBufferWriter(1024);
        format.WriteError(body, error);
        await client.StartAsync(error.Status, "application/json", body.WrittenCount, aborted);
        FallbackEngine.Write(client, body.WrittenSpan);
        await client.FlushAsync(aborted);
    }

    /// <summary>The one error of a request no step served, and until when the client should wait (null: not worth waiting).</summary>
    public static ChatError Final(
        Admission admission,
        RoutePlan plan,
        string requestedModel,
        RequestState state,
        FailureClassification? stopper,
        DateTimeOffset now,
        out DateTimeOffset? retryAt)
    {
        if (stopper?.Class == FailureClass.Shutdown)
        {
            // Another instance (or this one, restarted) can serve it at once.
            retryAt = now + TimeSpan.FromSeconds(1);
            return new ChatError(503, ChatErrorKind.Overloaded, "The gateway is shutting down; retry on another instance.") { Code = Outcomes.Shutdown };
        }

        retryAt = admission.SoonestRecovery(plan.Steps, now);
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
                $"No route of '{requestedModel}' supports what this request needs: {Trail(state)}")
            {
                Code = "unsupported_capability",
            };
        }

        if (plan.Steps.IsEmpty)
        {
            retryAt = null;
            return new ChatError(
                403,
                ChatErrorKind.PermissionDenied,
                $"No route of '{requestedModel}' is allowed for this request: {Trail(state)}")
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
                $"This client's budget cannot take a paid call on '{requestedModel}' now and no free route is left. Attempts: {Trail(state)}")
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
                $"The provider rejected {RejectedKeys(state)} for every route of '{requestedModel}' (a wrong, revoked or unpaid key). " +
                $"Fix it, then reset it with `spillway keys reset ID` or POST /admin/keys/ID/reset; it is also re-checked on its own. Attempts: {Trail(state)}")
            {
                Code = Outcomes.KeyRejected,
            };
        }

        // Some route is only limited (a rate limit or spent quota that recovers); the others were skipped or their
        // keys rejected. Routes that are only behind open breakers are unwell, not limited: a 502 (below), not a 429.
        if (OnlyLimits(state))
        {
            if (SoonestBreakerProbe(admission, state) is { } probe && (retryAt is null || probe < retryAt))
            {
                retryAt = probe;
            }

            retryAt ??= now + TimeSpan.FromSeconds(60);
            return new ChatError(
                429,
                ChatErrorKind.RateLimited,
                $"Every route of '{requestedModel}' is rate limited or out of quota; the soonest recovers at {retryAt:O}. Attempts: {Trail(state)}");
        }

        // Every step that could carry the request was behind an open breaker: no call was made, and the client can
        // try again once the soonest breaker lets a probe through.
        if (state.UpstreamCalls == 0 &&
            state.Attempts.TrueForAll(a => a.Outcome is Outcomes.SkippedBreaker or Outcomes.SkippedPolicy or Outcomes.SkippedCapability) &&
            SoonestBreakerProbe(admission, state) is { } soonestProbe)
        {
            retryAt = soonestProbe;
        }

        return new ChatError(
            502,
            ChatErrorKind.UpstreamFailed,
            $"No upstream of '{requestedModel}' could serve the request. Attempts: {Trail(state)}")
        {
            Code = "all_routes_failed",
        };
    }

    /// <summary>When the soonest breaker that skipped a step of this request lets a probe through; null when none did.</summary>
    private static DateTimeOffset? SoonestBreakerProbe(Admission admission, RequestState state) =>
        state.Attempts.Exists(a => a.Outcome == Outcomes.SkippedBreaker)
            ? admission.SoonestBreakerAdmission(state.Attempts.Where(a => a.Outcome == Outcomes.SkippedBreaker).Select(a => a.Route))
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
