using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Configuration;
using Spillway.Core.Failures;
using Spillway.Core.Health;
using Spillway.Core.KeyState;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;

namespace Spillway.Core.Engine;

/// <summary>
/// Walks a request's plan step by step until one upstream serves it (design.md §1).
/// <code>
///   plan ─▶ step: cooled? ──yes──▶ skip (no call) ─▶ next step
///                  │no
///                  ▼
///            call upstream ──failure before commit──▶ classify ─▶ cool key ─▶ same step again | next step | stop
///                  │first content-bearing event (commit)
///                  ▼
///            x-spillway-* headers, bytes to the client; a failure now ends the stream in-band, never falls back
/// </code>
/// When no step serves, the client gets one error in its own format: 429 with Retry-After when every step was
/// rate limited or cooling, else the reason of the step that stopped the chain or a 502.
/// </summary>
public sealed partial class FallbackEngine
{
    private readonly UpstreamClient _upstream;
    private readonly IKeyStateStore _keys;
    private readonly ILedgerSink _ledger;
    private readonly CostCalculator _costs;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EngineOptions _options;
    private readonly ImmutableDictionary<WireFormat, IUpstreamProtocol> _protocols;
    private readonly RouteHealth _health;

    internal FallbackEngine(
        UpstreamClient upstream,
        IKeyStateStore keys,
        ILedgerSink ledger,
        CostCalculator costs,
        TimeProvider time,
        ILogger logger,
        EngineOptions options,
        IEnumerable<IUpstreamProtocol> protocols,
        RouteHealth health)
    {
        _upstream = upstream;
        _keys = keys;
        _ledger = ledger;
        _costs = costs;
        _time = time;
        _logger = logger;
        _options = options;
        _protocols = protocols.ToImmutableDictionary(p => p.Format);
        _health = health;
    }

    /// <summary>Serves one request through its plan and records it in the ledger.</summary>
    public async Task ExecuteAsync(ChatCall call, IClientResponse client, CancellationToken aborted)
    {
        var state = new RequestState();
        state.Attempts.AddRange(call.Plan.PolicySkips);
        var result = await WalkAsync(call, client, state, aborted);
        if (result is null or { End: StepEnd.Failed })
        {
            await WriteFinalErrorAsync(call, client, state, result?.Failure, aborted);
        }
        else if (result.Value.End == StepEnd.ClientGone)
        {
            // 499: the client closed the connection (nginx's convention); nothing more can be sent.
            state.ClientStatus = 499;
            state.Error ??= "client closed the connection";
        }

        _ledger.Enqueue(ToLedgerEntry(call, state));
    }

    private async Task<StepResult?> WalkAsync(ChatCall call, IClientResponse client, RequestState state, CancellationToken aborted)
    {
        StepResult? last = null;
        RouteStep? shortWaitStep = null;
        var shortWaitUntil = DateTimeOffset.MaxValue;
        foreach (var step in call.Plan.Steps)
        {
            if (Skip(step, state))
            {
                continue;
            }

            using var prepared = Prepare(call, step, state, out var stop);
            if (prepared is null)
            {
                if (stop is not null)
                {
                    return StepResult.Failed(stop, null);
                }

                continue;
            }

            if (SkipForBudget(call, step, state))
            {
                continue;
            }

            if (SkipForBreaker(step, state))
            {
                ReleaseBudget(state);
                continue;
            }

            if (SkipForQuota(call, step, state))
            {
                ReleaseBudget(state);
                ReleaseProbe(step);
                continue;
            }

            var retried = false;
            while (true)
            {
                var result = await CallStepAsync(call, step, prepared, client, state, aborted);
                last = result;
                if (result.End != StepEnd.Failed)
                {
                    return result;
                }

                var failure = result.Failure!;
                var now = _time.GetUtcNow();
                Cool(step, failure, now);
                var decision = FallbackPolicy.Decide(failure, retried);
                if (decision == FallbackDecision.RetrySameStepNow)
                {
                    retried = true;

                    // The first call's hold was given back; the retry must be admitted by the budget again.
                    if (SkipForBudget(call, step, state))
                    {
                        break;
                    }

                    continue;
                }

                if (decision == FallbackDecision.Stop)
                {
                    return result;
                }

                if (failure.Class == FailureClass.RateLimited && failure.RetryAt is { } at &&
                    at - now <= _options.ShortRetryWait && at < shortWaitUntil)
                {
                    shortWaitStep = step;
                    shortWaitUntil = at;
                }

                break;
            }
        }

        if (shortWaitStep is null)
        {
            return last;
        }

        // No other step could serve, and one only asked for a short wait: wait it out once on the same key.
        var wait = shortWaitUntil - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, aborted);
        }

        _keys.Clear(shortWaitStep.Key.Id, shortWaitStep.Model);
        _keys.Clear(shortWaitStep.Key.Id, null);
        using var again = Prepare(call, shortWaitStep, state, out _);
        if (again is null || SkipForBudget(call, shortWaitStep, state))
        {
            return last;
        }

        var retry = await CallStepAsync(call, shortWaitStep, again, client, state, aborted);
        if (retry.End == StepEnd.Failed)
        {
            Cool(shortWaitStep, retry.Failure!, _time.GetUtcNow());
        }

        return retry;
    }

    /// <summary>Skips a step whose key is cooling, recording it as an attempt that made no call.</summary>
    private bool Skip(RouteStep step, RequestState state)
    {
        var cooldown = _keys.GetCooldown(step.Key.Id, step.Model, _time.GetUtcNow());
        if (cooldown is null)
        {
            return false;
        }

        state.Attempts.Add(new AttemptRecord(step.Route, step.Key.Id, null, Outcomes.SkippedCooldown, 0, cooldown.SkipDetail));
        return true;
    }

    private void Cool(RouteStep step, FailureClassification failure, DateTimeOffset now)
    {
        if (FallbackPolicy.CooldownUntil(failure, now) is not { } until)
        {
            return;
        }

        var perModel = failure.Scope switch
        {
            CooldownScope.KeyModel => true,
            CooldownScope.Key => false,
            _ => failure.Class == FailureClass.ModelUnavailable || step.Provider.RateLimits.QuotaPerModel,
        };
        var outcome = Outcomes.Of(failure.Class);
        _keys.SetCooldown(step.Key.Id, new KeyCooldown(until, outcome, failure.Reason, perModel ? step.Model : null));
        Log.KeyCooled(_logger, step.Key.Id, step.Route, outcome, until);
    }

    private LedgerEntry ToLedgerEntry(ChatCall call, RequestState state) => new()
    {
        Id = call.RequestId,
        Time = call.Inbound.ReceivedAt,
        ClientFormat = call.Client.Name,
        Model = call.RequestedModel,
        Route = state.ServedRoute,
        Status = state.ClientStatus,
        Stream = call.Stream,
        Attempts = [.. state.Attempts],
        Usage = state.Usage,
        CostUsd = state.CostUsd,
        SavedUsd = state.SavedUsd,
        LatencyMs = _time.GetElapsedTime(call.ReceivedTimestamp).TotalMilliseconds,
        TtftMs = state.TtftMs,
        Error = state.Error,
        ClientId = call.ClientId,
    };
}
