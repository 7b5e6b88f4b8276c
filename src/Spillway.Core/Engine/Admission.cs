using Microsoft.Extensions.Logging;
using Spillway.Core.Budgets;
using Spillway.Core.Failures;
using Spillway.Core.Health;
using Spillway.Core.KeyState;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Engine;

/// <summary>
/// Whether a step may call now (step 3 of the request path, src/Spillway.Core/README.md), and what it learns of
/// its keys from every answer. Four checks, each of which may skip the step with no call, recorded as an attempt:
/// <list type="number">
/// <item>the key's cooldown (<c>skipped_cooldown</c>), asked before the step's request is built;</item>
/// <item>the client's budget (<c>skipped_budget</c>): a paid call holds its estimated cost;</item>
/// <item>the route's breaker (<c>skipped_breaker</c>): admitting may make this request the route's probe;</item>
/// <item>the key's quota (<c>skipped_quota</c>): one request and the estimated tokens are reserved.</item>
/// </list>
/// The last three run once the step can carry the request, so a step skipped for capability never holds anything.
/// What they hold is one <see cref="AdmissionLease"/>: settled with the call's real outcome, or given back when
/// the lease is disposed unsettled.
/// </summary>
internal sealed partial class Admission
{
    private readonly IKeyStateStore _keys;

    public Admission(
        IKeyStateStore keys, IQuotaStore quotas, IBudgetStore budgets, RouteHealth health, CostCalculator costs, TimeProvider time, ILogger logger)
    {
        _keys = keys;
        Quotas = quotas;
        Budgets = budgets;
        Health = health;
        Costs = costs;
        Time = time;
        Logger = logger;
    }

    internal IQuotaStore Quotas { get; }

    internal IBudgetStore Budgets { get; }

    internal RouteHealth Health { get; }

    internal CostCalculator Costs { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    /// <summary>Skips a step whose key is cooling, recording it as an attempt that made no call.</summary>
    public bool SkipsCooledKey(RouteStep step, RequestState state)
    {
        var cooldown = _keys.GetCooldown(step.Key.Id, step.Model, Time.GetUtcNow());
        if (cooldown is null)
        {
            return false;
        }

        var outcome = cooldown.IsRejection ? Outcomes.SkippedKeyRejected : Outcomes.SkippedCooldown;
        state.Attempts.Add(new AttemptRecord(step.Route, step.Key.Id, null, outcome, 0, cooldown.SkipDetail));
        return true;
    }

    /// <summary>
    /// Budget, then breaker, then quota. A refusal is recorded as the step's attempt and whatever the earlier
    /// checks took is given back; an admission holds it all in the returned lease.
    /// </summary>
    public async ValueTask<AdmissionLease> TryAdmitAsync(IAdmittedCall call, RouteStep step, RequestState state, CancellationToken cancellationToken)
    {
        var lease = new AdmissionLease(this, call, step, state);
        if (!await lease.TryHoldBudgetAsync(cancellationToken))
        {
            return AdmissionLease.Refused;
        }

        var breaker = await Health.Breakers.TryAdmitAsync(step.Route, cancellationToken);
        if (!breaker.Admitted)
        {
            state.Attempts.Add(new AttemptRecord(step.Route, step.Key.Id, null, Outcomes.SkippedBreaker, 0, breaker.Refusal));
            lease.Dispose();
            return AdmissionLease.Refused;
        }

        lease.HoldsProbe = true;
        if (!await TryHoldQuotaAsync(call, step, state, lease, cancellationToken))
        {
            lease.Dispose();
            return AdmissionLease.Refused;
        }

        return lease;
    }

    /// <summary>
    /// Admission after a short wait on a step that was admitted once already: only the budget is asked again (its
    /// hold was given back when the first call failed); the quota counts the call when it settles.
    /// </summary>
    public async ValueTask<AdmissionLease> TryAdmitAgainAsync(IAdmittedCall call, RouteStep step, RequestState state, CancellationToken cancellationToken)
    {
        var lease = new AdmissionLease(this, call, step, state);
        return await lease.TryHoldBudgetAsync(cancellationToken) ? lease : AdmissionLease.Refused;
    }

    /// <summary>
    /// Cools the step's key (for its model, or for every model) when the failure says until when. A key its provider
    /// rejected (401/403) is held off for every model as <c>key_rejected</c>, until a re-check that backs off with each
    /// rejection in a row: the secret is what is wrong, not one model's limit.
    /// </summary>
    public void Cool(RouteStep step, FailureClassification failure, DateTimeOffset now)
    {
        var rejected = failure.Class == FailureClass.AuthFailed;
        var rejections = rejected ? _keys.CountRejection(step.Key.Id) : 0;
        if (FallbackPolicy.CooldownUntil(failure, now, rejections) is not { } until)
        {
            return;
        }

        var perModel = !rejected && failure.Scope switch
        {
            CooldownScope.KeyModel => true,
            CooldownScope.Key => false,
            _ => failure.Class == FailureClass.ModelUnavailable || step.Provider.RateLimits.QuotaPerModel,
        };
        var outcome = rejected ? Outcomes.KeyRejected : Outcomes.Of(failure.Class);
        _keys.SetCooldown(step.Key.Id, new KeyCooldown(until, outcome, failure.Reason, perModel ? step.Model : null));
        if (rejected)
        {
            Log.KeyRejected(Logger, step.Key.Id, step.Route, rejections, failure.Reason, until);
        }
        else
        {
            Log.KeyCooled(Logger, step.Key.Id, step.Route, outcome, until);
        }
    }

    /// <summary>The provider served a call with the key: it is not rejected any more, so a later rejection starts
    /// the re-checks afresh.</summary>
    public void KeyServed(RouteStep step) => _keys.ForgetRejections(step.Key.Id);

    /// <summary>Ends the step's cooldowns (for its model and for the whole key) after their short wait was waited out.</summary>
    public void ClearCooldowns(RouteStep step)
    {
        _keys.Clear(step.Key.Id, step.Model);
        _keys.Clear(step.Key.Id, null);
    }

    /// <summary>The earliest moment one of <paramref name="steps"/>' keys comes back, or null when none is cooling.</summary>
    public DateTimeOffset? SoonestRecovery(IEnumerable<RouteStep> steps, DateTimeOffset now)
    {
        DateTimeOffset? soonest = null;
        foreach (var step in steps)
        {
            // A rejected key's re-check is no recovery a client can wait for: it needs the key fixed.
            if (_keys.GetCooldown(step.Key.Id, step.Model, now) is { IsRejection: false } cooldown &&
                (soonest is null || cooldown.Until < soonest))
            {
                soonest = cooldown.Until;
            }
        }

        return soonest;
    }

    /// <summary>The earliest moment one of <paramref name="routes"/>' breakers lets a call through (a probe).</summary>
    public DateTimeOffset? SoonestBreakerAdmission(IEnumerable<string> routes)
    {
        DateTimeOffset? soonest = null;
        foreach (var route in routes)
        {
            var at = Health.Breakers.NextAdmission(route);
            if (soonest is null || at < soonest)
            {
                soonest = at;
            }
        }

        return soonest;
    }

    /// <summary>Every successful answer tells how much the key has left; a key at zero cools until its reset.</summary>
    public void LearnFromHeaders(RouteStep step, HttpResponseMessage response)
    {
        var rules = step.Provider.RateLimits;
        if (rules.Scheme == RateLimitScheme.None || !response.IsSuccessStatusCode)
        {
            // Failures are classified from the whole answer instead, which also reads these headers.
            return;
        }

        var now = Time.GetUtcNow();
        var snapshot = RateLimitHeaderReader.Read(rules, new UpstreamHeaders(response), now);
        if (ObserveQuota(step, snapshot, now))
        {
            return;
        }

        if (snapshot.RequestsRemaining == 0 && snapshot.RequestsResetAt is { } requestsReset && requestsReset > now)
        {
            var exhausted = snapshot.RequestWindow == RateLimitWindow.Day ? FailureClass.QuotaExhausted : FailureClass.RateLimited;
            Cool(step, new FailureClassification(exhausted, $"{step.Provider.Id}: no requests left in the window", requestsReset), now);
        }
        else if (snapshot.TokensRemaining == 0 && snapshot.TokensResetAt is { } tokensReset && tokensReset > now)
        {
            var exhausted = snapshot.TokenWindow == RateLimitWindow.Day ? FailureClass.QuotaExhausted : FailureClass.RateLimited;
            Cool(step, new FailureClassification(exhausted, $"{step.Provider.Id}: no tokens left in the window", tokensReset), now);
        }
    }

    /// <summary>Skips a step whose key cannot take the request now (<see cref="StepQuota"/>), recording it as an
    /// attempt with no call; otherwise holds the capacity for the call in <paramref name="lease"/>.</summary>
    private async ValueTask<bool> TryHoldQuotaAsync(IAdmittedCall call, RouteStep step, RequestState state, AdmissionLease lease, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var scope = StepQuota.ScopeOf(step);
        var rules = StepQuota.RulesOf(step);
        long? tokens = Quotas.CountsTokens(scope, rules, now) ? call.QuotaTokens(step, state) : null;
        var decision = await Quotas.TryAdmitAsync(scope, rules, tokens, now, cancellationToken);
        if (decision.Reservation is { } reservation)
        {
            lease.Quota = reservation;
            return true;
        }

        state.Attempts.Add(new AttemptRecord(step.Route, step.Key.Id, null, Outcomes.SkippedQuota, 0, decision.Describe()));
        if (state.QuotaRecoversAt is not { } soonest || decision.ResetAt < soonest)
        {
            state.QuotaRecoversAt = decision.ResetAt;
        }

        return false;
    }

    /// <summary>
    /// Takes a successful answer's rate-limit headers into the quota: the stated limit is learned and the stated
    /// remaining holds until the stated reset. Returns true when the quota covers every window the headers state,
    /// so a spent window is skipped as <c>skipped_quota</c> rather than cooled.
    /// </summary>
    private bool ObserveQuota(RouteStep step, RateLimitSnapshot snapshot, DateTimeOffset now)
    {
        var requests = StepQuota.MeasureOf(snapshot.RequestWindow, tokens: false);
        var tokens = StepQuota.MeasureOf(snapshot.TokenWindow, tokens: true);
        var scope = StepQuota.ScopeOf(step);
        var rules = StepQuota.RulesOf(step);
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

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Key {KeyId} on {Route} cooled ({Outcome}) until {Until:O}")]
        public static partial void KeyCooled(ILogger logger, string keyId, string route, string outcome, DateTimeOffset until);

        [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Key {KeyId} on {Route} rejected by the provider ({Rejections} in a row: {Reason}); re-checked at {Until:O} or when reset by hand")]
        public static partial void KeyRejected(ILogger logger, string keyId, string route, int rejections, string reason, DateTimeOffset until);
    }
}
