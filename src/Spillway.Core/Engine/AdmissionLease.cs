using Microsoft.Extensions.Logging;
using Spillway.Core.Budgets;
using Spillway.Core.Health;
using Spillway.Core.KeyState;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;

namespace Spillway.Core.Engine;

/// <summary>
/// What <see cref="Admission"/> holds for one step's call: the client's budget hold, the key's quota reservation
/// and the route breaker's admission (perhaps its one probe). <see cref="Settle"/> settles each with the call's
/// real outcome; <see cref="Dispose"/> gives back whatever is still held, so a step left early never keeps a hold.
/// </summary>
internal sealed partial class AdmissionLease : IDisposable
{
    private readonly Admission? _admission;
    private readonly IAdmittedCall? _call;
    private readonly RouteStep? _step;
    private readonly RequestState? _state;

    internal AdmissionLease(Admission admission, IAdmittedCall call, RouteStep step, RequestState state)
    {
        _admission = admission;
        _call = call;
        _step = step;
        _state = state;
        IsAdmitted = true;
    }

    private AdmissionLease()
    {
    }

    /// <summary>The lease of a refused step: it holds nothing; the skip is already recorded as an attempt.</summary>
    public static AdmissionLease Refused { get; } = new();

    /// <summary>True when the step may call.</summary>
    public bool IsAdmitted { get; }

    /// <summary>The client's money held for the call; settled with its cost or released.</summary>
    internal BudgetReservation? Budget { get; private set; }

    /// <summary>The quota held for the call; settled with its real tokens or released.</summary>
    internal QuotaReservation? Quota { get; set; }

    /// <summary>True while the route's breaker admitted this call and has not been told how it ended.</summary>
    internal bool HoldsProbe { get; set; }

    /// <summary>
    /// Client budgets: before a paid call the client's budget must take the call's estimated cost
    /// (<see cref="AdmissionEstimate"/>), held until the call settles with its real cost, else the step is skipped as
    /// <c>skipped_budget</c> with no call. Free-tier keys cost nothing and are never held back by a budget. Also
    /// asked again before the retry of a failed call, whose hold was given back when it settled.
    /// </summary>
    public async ValueTask<bool> TryHoldBudgetAsync(CancellationToken cancellationToken)
    {
        var (admission, call, step, state) = Parts();
        if (call.Budget is not { } budget || step.Key.Tier == KeyTier.Free)
        {
            return true;
        }

        var (input, output) = call.BudgetTokens(step, state);
        if (admission.Costs.Estimate(step, input, output) is not { } estimate)
        {
            state.Attempts.Add(new AttemptRecord(step.Route, step.Key.Id, null, Outcomes.SkippedBudget, 0,
                "no known price for this route, so the client's budget cannot be kept on it"));
            return false;
        }

        var decision = await admission.Budgets.TryReserveAsync(budget, estimate, cancellationToken);
        if (decision.Reservation is { } held)
        {
            Budget = held;
            return true;
        }

        state.Attempts.Add(new AttemptRecord(step.Route, step.Key.Id, null, Outcomes.SkippedBudget, 0, decision.Describe()));
        state.BudgetRecoversAt = state.BudgetRecoversAt is { } soonest && soonest < decision.ResetAt ? soonest : decision.ResetAt;
        return false;
    }

    /// <summary>
    /// Settles the call that was made: the quota keeps the request with its real tokens (or gives it back when the
    /// provider did not count it), the budget spends the real cost (or gives the hold back when nothing was
    /// served), and the route's breaker and speed learn how the call ended.
    /// </summary>
    /// <param name="result">How the call ended.</param>
    /// <param name="started">The <see cref="TimeProvider.GetTimestamp"/> of the call's send.</param>
    public void Settle(StepResult result, long started)
    {
        SettleQuota(result);
        SettleBudget(result);
        SettleHealth(result, started);
    }

    /// <summary>Gives back whatever is still held: the budget hold, the quota reservation, the breaker's probe.</summary>
    public void Dispose()
    {
        if (_admission is null)
        {
            return;
        }

        if (Budget is { } budget)
        {
            Budget = null;
            _admission.Budgets.Release(budget);
        }

        if (Quota is { } quota)
        {
            Quota = null;
            _admission.Quotas.Release(quota);
        }

        if (HoldsProbe)
        {
            // Admitted by the breaker but never called: another request may probe.
            HoldsProbe = false;
            _admission.Health.Breakers.OnNeutral(_step!.Route);
        }
    }

    /// <summary>The request stays counted with its real tokens, or is given back when the provider did not count
    /// it; a limit named by a refusal is learned. A call with no reservation (a retry) is counted as it was made.</summary>
    private void SettleQuota(StepResult result)
    {
        var (admission, _, step, state) = Parts();
        var quotas = admission.Quotas;
        var held = Quota;
        Quota = null;
        var failure = result.End == StepEnd.Failed ? result.Failure : null;
        if (result.Failure is { LearnedLimit: > 0 and var limit, LimitMeasure: { } measure })
        {
            quotas.Learn(StepQuota.ScopeOf(step), measure, limit, admission.Time.GetUtcNow());
        }

        long? tokens = failure is null ? state.Usage?.TotalTokens : null;
        if (failure is not null && !StepQuota.ProviderCounted(failure.Class))
        {
            if (held is not null)
            {
                quotas.Release(held);
            }

            InferMinuteLimit(admission, step, failure);
            return;
        }

        if (held is not null)
        {
            quotas.Settle(held, tokens);
        }
        else
        {
            quotas.Record(StepQuota.ScopeOf(step), StepQuota.RulesOf(step), tokens ?? 0, admission.Time.GetUtcNow());
        }
    }

    /// <summary>
    /// A per-minute refusal that names no limit, from a key whose limit nobody told: the calls the key took in the
    /// last minute become its learned per-minute limit, so the next minutes are admitted against it instead of
    /// meeting a 429 each (an unknown 10 RPM key then wastes a call a day, not one a minute).
    /// </summary>
    private static void InferMinuteLimit(Admission admission, RouteStep step, Failures.FailureClassification failure)
    {
        var now = admission.Time.GetUtcNow();
        var perMinute = failure.LimitMeasure == QuotaMeasure.Rpm ||
            (failure.LimitMeasure is null && (failure.RetryAt is not { } at || at - now <= TimeSpan.FromMinutes(1)));
        if (failure.Class != Failures.FailureClass.RateLimited || failure.LearnedLimit is not null || !perMinute)
        {
            return;
        }

        if (admission.Quotas.InferMinuteLimit(StepQuota.ScopeOf(step), StepQuota.RulesOf(step), now) is { } limit)
        {
            Log.LimitInferred(admission.Logger, step.Key.Id, step.Route, limit);
        }
    }

    /// <summary>A served call spends its real cost (its estimate when the cost is unknown); anything else gives the hold back.</summary>
    private void SettleBudget(StepResult result)
    {
        if (Budget is not { } held)
        {
            return;
        }

        Budget = null;
        var budgets = _admission!.Budgets;
        if (result.End == StepEnd.Failed)
        {
            budgets.Release(held);
            return;
        }

        // A stream the client left, or one that broke after it began, was still billed for what it produced.
        budgets.Settle(held, _state!.CallCostUsd ?? held.Amount);
    }

    /// <summary>Tells the route's breaker how a call ended and, when it served, how fast.</summary>
    private void SettleHealth(StepResult result, long started)
    {
        var (admission, call, step, state) = Parts();
        HoldsProbe = false;
        var health = admission.Health;
        var breakers = health.Breakers;
        var time = admission.Time;
        var transition = BreakerTransition.None;
        switch (result.End)
        {
            case StepEnd.Served:
                admission.KeyServed(step);
                transition = breakers.OnSuccess(step.Route);
                if (!call.Stream)
                {
                    health.Speed.RecordLatency(step.Route, time.GetElapsedTime(started).TotalMilliseconds);
                }
                else if (state.TtftMs is { } ttft && state.Continuations == 0)
                {
                    // TtftMs runs from the request's arrival; the route is charged only from its own send.
                    health.Speed.RecordTtft(step.Route, ttft - time.GetElapsedTime(call.ReceivedTimestamp, started).TotalMilliseconds);
                }

                break;
            case StepEnd.Failed or StepEnd.FailedAfterCommit or StepEnd.Broken when result.Failure is { } failure:
                transition = breakers.OnFailure(step.Route, failure);
                break;
            default:
                breakers.OnNeutral(step.Route);
                break;
        }

        if (transition != BreakerTransition.None)
        {
            var view = breakers.View(step.Route);
            Log.BreakerMoved(admission.Logger, step.Route, transition, view.OpenUntil, view.LastFailure?.Reason);
        }
    }

    private (Admission Admission, IAdmittedCall Call, RouteStep Step, RequestState State) Parts() =>
        _admission is null
            ? throw new InvalidOperationException("A refused step's lease holds nothing to settle.")
            : (_admission, _call!, _step!, _state!);

    private static partial class Log
    {
        [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Route {Route} breaker {Transition} (open until {Until:O}; last failure: {Reason})")]
        public static partial void BreakerMoved(ILogger logger, string route, BreakerTransition transition, DateTimeOffset? until, string? reason);

        [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Key {KeyId} on {Route}: learned a limit of {Limit} requests a minute from a 429 that named none")]
        public static partial void LimitInferred(ILogger logger, string keyId, string route, long limit);
    }
}
