using Spillway.Core.Failures;
using Spillway.Core.KeyState;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Engine;

/// <summary>
/// Proactive quota (design.md §1 step 3, §3): before a call the key's known remaining requests and tokens must take
/// the request, else the step is skipped as <c>skipped_quota</c> with no call. Admission reserves one request and the
/// estimated tokens; the answer settles them with the real usage, or releases them where the provider did not count
/// the call. Every successful answer's headers correct the figures; a refusal that names its limit teaches it.
/// </summary>
/// <remarks>
/// Tokens are estimated only for a scope with a token quota (configured, learned or stated by headers), so the
/// pass-through hot path of a key without one never runs the tokenizer. The estimate is the o200k count of the
/// canonical request (decoded once per request and shared with translation; images are not counted) plus the
/// output cap the client asked for, within the model's output limit: providers such as Groq and Cerebras count the
/// cap against the token limit up front. A request the canonical decoder refuses falls back to body bytes / 4.
/// </remarks>
public sealed partial class FallbackEngine
{
    /// <summary>Where quota is counted; the embedded book unless the host supplies a store.</summary>
    internal IQuotaStore Quotas { get; init; } = new QuotaBook();

    /// <summary>Skips a step whose key cannot take the request now, recording it as an attempt with no call;
    /// otherwise holds the capacity for the call.</summary>
    private bool SkipForQuota(ChatCall call, RouteStep step, RequestState state)
    {
        var now = _time.GetUtcNow();
        var scope = QuotaScopeOf(step);
        var rules = QuotaRulesOf(step);
        long? tokens = Quotas.CountsTokens(scope, rules, now) ? EstimateTokens(call, step, state) : null;
        var decision = Quotas.TryAdmit(scope, rules, tokens, now);
        if (decision.Reservation is { } reservation)
        {
            state.QuotaHeld = reservation;
            return false;
        }

        state.Attempts.Add(new AttemptRecord(step.Route, step.Key.Id, null, Outcomes.SkippedQuota, 0, decision.Describe()));
        if (state.QuotaRecoversAt is not { } soonest || decision.ResetAt < soonest)
        {
            state.QuotaRecoversAt = decision.ResetAt;
        }

        return true;
    }

    /// <summary>After a call: the request stays counted with its real tokens, or is given back when the provider
    /// did not count it; a limit named by a refusal is learned.</summary>
    private void SettleQuota(RouteStep step, RequestState state, StepResult result)
    {
        var held = state.QuotaHeld;
        state.QuotaHeld = null;
        var failure = result.End == StepEnd.Failed ? result.Failure : null;
        if (result.Failure is { LearnedLimit: > 0 and var limit, LimitMeasure: { } measure })
        {
            Quotas.Learn(QuotaScopeOf(step), measure, limit);
        }

        long? tokens = failure is null ? state.Usage?.TotalTokens : null;
        if (failure is not null && !ProviderCounted(failure.Class))
        {
            if (held is not null)
            {
                Quotas.Release(held);
            }

            return;
        }

        if (held is not null)
        {
            Quotas.Settle(held, tokens);
        }
        else
        {
            Quotas.Record(QuotaScopeOf(step), QuotaRulesOf(step), tokens ?? 0, _time.GetUtcNow());
        }
    }

    /// <summary>
    /// Takes a successful answer's rate-limit headers into the quota: the stated limit is learned and the stated
    /// remaining holds until the stated reset. Returns true when the quota covers every window the headers state,
    /// so a spent window is skipped as <c>skipped_quota</c> rather than cooled.
    /// </summary>
    private bool ObserveQuota(RouteStep step, RateLimitSnapshot snapshot, DateTimeOffset now)
    {
        var requests = MeasureOf(snapshot.RequestWindow, tokens: false);
        var tokens = MeasureOf(snapshot.TokenWindow, tokens: true);
        var scope = QuotaScopeOf(step);
        var rules = QuotaRulesOf(step);
        if (requests is { } r)
        {
            Quotas.Observe(scope, rules, r, snapshot.RequestLimit, snapshot.RequestsRemaining, snapshot.RequestsResetAt, now);
        }

        if (tokens is { } t)
        {
            Quotas.Observe(scope, rules, t, snapshot.TokenLimit, snapshot.TokensRemaining, snapshot.TokensResetAt, now);
        }

        return (requests is not null || snapshot.RequestWindow == RateLimitWindow.Unknown)
            && (tokens is not null || snapshot.TokenWindow == RateLimitWindow.Unknown);
    }

    /// <summary>The provider counts per key and model where its rules say so or the config lists the model's own limits.</summary>
    private static QuotaScope QuotaScopeOf(RouteStep step) =>
        step.Provider.RateLimits.QuotaPerModel || step.Key.ModelLimits.ContainsKey(step.Model)
            ? new QuotaScope(step.Key.Id, step.Model)
            : new QuotaScope(step.Key.Id, string.Empty);

    private static QuotaRules QuotaRulesOf(RouteStep step) => new(
        step.Key.ModelLimits.TryGetValue(step.Model, out var perModel) ? perModel : step.Key.Limits,
        step.Provider.RateLimits.DailyReset);

    /// <summary>
    /// Whether the provider counted a failed call against the key. Refusals (rate limits, auth, a bad request, a
    /// missing model), overloads and calls that never connected are given back; a timeout or a server error may
    /// have been processed (a stream that broke had produced tokens), so it stays counted: erring that way never
    /// sends a call to a spent key.
    /// </summary>
    private static bool ProviderCounted(FailureClass failure) => failure is FailureClass.Timeout or FailureClass.ServerError;

    private static QuotaMeasure? MeasureOf(RateLimitWindow window, bool tokens) => window switch
    {
        RateLimitWindow.Minute => tokens ? QuotaMeasure.Tpm : QuotaMeasure.Rpm,
        RateLimitWindow.Day => tokens ? QuotaMeasure.Tpd : QuotaMeasure.Rpd,
        _ => null,
    };

    private static long EstimateTokens(ChatCall call, RouteStep step, RequestState state) =>
        InputTokens(call, state) + (AllowedOutputTokens(call, step) ?? 0);
}
