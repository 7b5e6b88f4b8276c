using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Spillway.Core.Budgets;
using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Configuration;
using Spillway.Core.Failures;
using Spillway.Core.Health;
using Spillway.Core.KeyState;
using Spillway.Core.Telemetry;
using Spillway.Core.Ledger;
using Spillway.Core.Providers;

namespace Spillway.Core.Engine;

/// <summary>
/// Walks a request's plan step by step until one upstream serves it: steps 3 to 8 of the request path
/// (src/Spillway.Core/README.md, "The request path"; steps 0 to 2, accept, sniff and plan, happen before).
/// <code>
///   plan ─▶ step: key cooled? ──yes──▶ skip (no call) ─▶ next step
///                  │no
///                  ▼
///            encode ──cannot carry it──▶ skip (no call) ─▶ next step
///                  │
///                  ▼
///            budget, breaker, quota admit? ──no──▶ skip (no call, holds given back) ─▶ next step
///                  │yes: one lease
///                  ▼
///            call upstream ──failure before commit──▶ classify ─▶ cool key ─▶ same step again | next step | stop
///                  │first content-bearing event (commit)
///                  ▼
///            x-spillway-* headers, bytes to the client; a failure now ends the stream in-band, never falls back
///                  │
///                  ▼
///            settle the lease with the real outcome; the ledger entry
/// </code>
/// When no step serves, the client gets one error in its own format: 429 with Retry-After when every step was
/// rate limited or cooling, else the reason of the step that stopped the chain or a 502 (with Retry-After when every
/// step was behind an open breaker).
/// </summary>
public sealed partial class FallbackEngine
{
    private readonly UpstreamClient _upstream;
    private readonly Admission _admission;
    private readonly ILedgerSink _ledger;
    private readonly CostCalculator _costs;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EngineOptions _options;
    private readonly ImmutableDictionary<WireFormat, IUpstreamProtocol> _protocols;
    private readonly CancellationToken _shutdown;
    private readonly ISpendJournal? _journal;

    /// <summary>What a call cut short by the end of the shutdown grace failed with: nothing is tried after it.</summary>
    private static readonly FailureClassification ShutdownFailure = new(
        FailureClass.Shutdown, "the gateway is shutting down and its drain grace ran out; retry on another instance");

    /// <param name="upstream">Sends every upstream call.</param>
    /// <param name="keys">The keys' cooldowns.</param>
    /// <param name="quotas">The keys' quotas.</param>
    /// <param name="budgets">The clients' spend against their budgets.</param>
    /// <param name="ledger">Takes one entry per request.</param>
    /// <param name="costs">Prices calls (and estimates them for budgets).</param>
    /// <param name="time">The one clock of the engine: deadlines, cooldowns, waits, latencies.</param>
    /// <param name="logger">The engine's log.</param>
    /// <param name="options">The engine's knobs.</param>
    /// <param name="protocols">The upstream formats served.</param>
    /// <param name="health">The routes' breakers and speed.</param>
    /// <param name="journal">Makes a budgeted client's paid spend durable before its answer completes; null where the
    /// budgets' own store is durable (Redis).</param>
    /// <param name="shutdown">Cancelled when the gateway stops and its drain grace is over: calls still under way
    /// then end (a stream with its in-band error), recorded as <c>shutdown</c>.</param>
    internal FallbackEngine(
        UpstreamClient upstream,
        IKeyStateStore keys,
        IQuotaStore quotas,
        IBudgetStore budgets,
        ILedgerSink ledger,
        CostCalculator costs,
        TimeProvider time,
        ILogger logger,
        EngineOptions options,
        IEnumerable<IUpstreamProtocol> protocols,
        RouteHealth health,
        ISpendJournal? journal = null,
        CancellationToken shutdown = default)
    {
        _shutdown = shutdown;
        _journal = journal;
        _upstream = upstream;
        _admission = new Admission(keys, quotas, budgets, health, costs, time, logger);
        _ledger = ledger;
        _costs = costs;
        _time = time;
        _logger = logger;
        _options = options;
        _protocols = protocols.ToImmutableDictionary(p => p.Format);
    }

    /// <summary>Serves one request through its plan and records it in the ledger.</summary>
    public async Task ExecuteAsync(ChatCall call, IClientResponse client, CancellationToken aborted)
    {
        using var span = GatewaySpans.StartRequest(GenAiAttributes.Chat, call.RequestedModel, call.RequestId, call.Client.Name, call.ClientId);
        if (_options.CaptureContent)
        {
            GatewaySpans.SetContent(span, GenAiAttributes.InputMessages, call.Inbound.Body.Span);
        }

        var state = new RequestState();
        state.Attempts.AddRange(call.Plan.PolicySkips);
        var result = await WalkAsync(call, client, state, aborted);
        state.Transcript?.Dispose();
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

        // :: Step 8: account (the request's ledger entry; each call settled its own lease)
        var entry = ToLedgerEntry(call, state);
        _ledger.Enqueue(entry);
        GatewaySpans.EndRequest(span, entry, state.FinishReason);
    }

    // The walk and the calls under it run for every request and are each awaited exactly once: their state machines
    // come from a pool (PoolingAsyncValueTaskMethodBuilder) instead of one allocation per request and step.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<StepResult?> WalkAsync(ChatCall call, IClientResponse client, RequestState state, CancellationToken aborted)
    {
        StepResult? last = null;
        RouteStep? shortWaitStep = null;
        var shortWaitUntil = DateTimeOffset.MaxValue;
        var steps = call.Plan.Steps;
        for (var i = 0; i < steps.Length; i++)
        {
            var step = steps[i];
            // :: Step 3: admit. The key's cooldown first: a cooled key is skipped before its request is built.
            if (_admission.SkipsCooledKey(step, state))
            {
                continue;
            }

            // :: Step 4: encode
            using var prepared = Prepare(call, step, state, out var stop);
            if (prepared is null)
            {
                if (stop is not null)
                {
                    return StepResult.Failed(stop, null);
                }

                continue;
            }

            // :: Step 3: admit (continued). Budget, breaker and quota only for a step that can carry the request,
            // so a step skipped for capability holds nothing; the lease gives back whatever is left unsettled.
            using var lease = await _admission.TryAdmitAsync(call, step, state, aborted);
            if (!lease.IsAdmitted)
            {
                continue;
            }

            var retried = false;
            while (true)
            {
                // Only an answer a later step could go on with is worth recording as it streams.
                if (call.Stream && call.Plan.OnStreamFailure == StreamFailureMode.Continue && i + 1 < steps.Length)
                {
                    state.Transcript ??= new StreamTranscript();
                }

                // :: Steps 5 to 8 of one call: send, decide, commit and stream, account
                var result = await CallStepAsync(call, step, prepared, lease, client, state, aborted);
                last = result;
                if (result.End == StepEnd.Broken)
                {
                    // :: Step 7 (continued): the stream broke after the client had part of it
                    return await ContinueAsync(call, client, state, i + 1, result, aborted);
                }

                if (result.End != StepEnd.Failed)
                {
                    return result;
                }

                // :: Step 6: decide (a failure before the commit point: same step again, next step or stop)
                var failure = result.Failure!;
                var now = _time.GetUtcNow();
                _admission.Cool(step, failure, now);
                var decision = FallbackPolicy.Decide(failure, retried, MayHaveBilled(step, result));
                if (decision == FallbackDecision.RetrySameStepNow)
                {
                    retried = true;

                    // The first call's hold was given back; the retry must be admitted by the budget again.
                    if (!await lease.TryHoldBudgetAsync(aborted))
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

        _admission.ClearCooldowns(shortWaitStep);
        using var again = Prepare(call, shortWaitStep, state, out _);
        if (again is null)
        {
            return last;
        }

        using var readmitted = await _admission.TryAdmitAgainAsync(call, shortWaitStep, state, aborted);
        if (!readmitted.IsAdmitted)
        {
            return last;
        }

        var retry = await CallStepAsync(call, shortWaitStep, again, readmitted, client, state, aborted);
        if (retry.End == StepEnd.Broken)
        {
            // Every other step was tried already: nothing is left to go on with the answer.
            return await ContinueAsync(call, client, state, steps.Length, retry, aborted);
        }

        if (retry.End == StepEnd.Failed)
        {
            _admission.Cool(shortWaitStep, retry.Failure!, _time.GetUtcNow());
        }

        return retry;
    }

    /// <summary>True when a paid key's call answered 200 before it broke: the provider may have billed it, so it is not simply retried.</summary>
    internal static bool MayHaveBilled(RouteStep step, StepResult result) =>
        step.Key.Tier == KeyTier.Paid && result.Status is >= 200 and < 300;

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
        Usage = state.Usage is { } usage ? state.Transcript?.Plus(usage) ?? usage : state.Transcript?.EarlierUsage,
        CostUsd = state.CostUsd,
        SavedUsd = state.SavedUsd,
        LatencyMs = _time.GetElapsedTime(call.ReceivedTimestamp).TotalMilliseconds,
        TtftMs = state.TtftMs,
        Error = state.Error,
        ClientId = call.ClientId,
    };
}
