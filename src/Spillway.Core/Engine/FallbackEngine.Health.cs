using Microsoft.Extensions.Logging;
using Spillway.Core.Health;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;

namespace Spillway.Core.Engine;

public sealed partial class FallbackEngine
{
    /// <summary>Skips a step whose route breaker is open (or half-open with its probe out), recording it as an
    /// attempt that made no call. Admitting may make this request the route's probe, so it is asked once the step is
    /// prepared; a later check that skips the step gives the probe back with <see cref="ReleaseProbe"/>.</summary>
    private bool SkipForBreaker(RouteStep step, RequestState state)
    {
        if (_health.Breakers.TryAdmit(step.Route, out var refusal))
        {
            return false;
        }

        state.Attempts.Add(new AttemptRecord(step.Route, step.Key.Id, null, Outcomes.SkippedBreaker, 0, refusal));
        return true;
    }

    /// <summary>The step was admitted by its breaker but skipped by a later check: another request may probe.</summary>
    private void ReleaseProbe(RouteStep step) => _health.Breakers.OnNeutral(step.Route);

    /// <summary>Tells the route's breaker how a call ended and, when it served, how fast.</summary>
    private void NoteHealth(ChatCall call, RouteStep step, RequestState state, StepResult result, long started)
    {
        var breakers = _health.Breakers;
        var transition = BreakerTransition.None;
        switch (result.End)
        {
            case StepEnd.Served:
                transition = breakers.OnSuccess(step.Route);
                if (!call.Stream)
                {
                    _health.Speed.RecordLatency(step.Route, _time.GetElapsedTime(started).TotalMilliseconds);
                }
                else if (state.TtftMs is { } ttft)
                {
                    // TtftMs runs from the request's arrival; the route is charged only from its own send.
                    _health.Speed.RecordTtft(step.Route, ttft - _time.GetElapsedTime(call.ReceivedTimestamp, started).TotalMilliseconds);
                }

                break;
            case StepEnd.Failed or StepEnd.FailedAfterCommit when result.Failure is { } failure:
                transition = breakers.OnFailure(step.Route, failure);
                break;
            default:
                breakers.OnNeutral(step.Route);
                break;
        }

        if (transition != BreakerTransition.None)
        {
            var view = breakers.View(step.Route);
            HealthLog.BreakerMoved(_logger, step.Route, transition, view.OpenUntil, view.LastFailure?.Reason);
        }
    }

    private static partial class HealthLog
    {
        [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Route {Route} breaker {Transition} (open until {Until:O}; last failure: {Reason})")]
        public static partial void BreakerMoved(ILogger logger, string route, BreakerTransition transition, DateTimeOffset? until, string? reason);
    }
}
