using Spillway.Core.Configuration;
using Spillway.Core.Failures;
using Spillway.Core.Ledger;

namespace Spillway.Core.Health;

/// <summary>
/// The circuit breaker of one route (the failure-class table in src/Spillway.Core/README.md): opens after <see cref="BreakerConfig.Failures"/> consecutive
/// failures that say the route is unwell, skips the route for the cool-off, then lets one probe through.
/// <code>
///   closed ──N consecutive counted failures──▶ open ──cool-off over, next admission──▶ half-open (one probe)
///     ▲                                          ▲                                         │
///     └───────────────probe served───────────────┼─────────────────────────────────────────┤
///                                                └──probe failed (cool-off doubles)─────────┘
/// </code>
/// Only overloaded, server errors, failed connections and timeouts count; rate limits, quotas, caller faults and
/// auth failures are about the key or the request, not the route, and leave the count as it is. Results that come
/// back while the breaker is open (calls that started before it opened) change nothing: the probe decides.
/// </summary>
public sealed class RouteBreaker
{
    /// <summary>The longest cool-off a breaker's backoff reaches (unless the configured one is longer).</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(10);

    private readonly Lock _gate = new();
    private readonly BreakerConfig _config;
    private BreakerState _state = BreakerState.Closed;
    private int _failures;
    private int _reopens;
    private DateTimeOffset _openUntil;
    private DateTimeOffset? _probeSince;
    private BreakerFailure? _lastFailure;

    public RouteBreaker(BreakerConfig config)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(config.Failures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(config.Open, TimeSpan.Zero);
        _config = config;
    }

    /// <summary>The failure classes that count against a route (the "breaker counts it" rows of src/Spillway.Core/README.md, "Failure classes").</summary>
    public static bool Counts(FailureClass failure) =>
        failure is FailureClass.Overloaded or FailureClass.ServerError or FailureClass.ConnectionFailed or FailureClass.Timeout;

    /// <summary>
    /// May a call go to the route now? Once the cool-off is over the first caller becomes the probe and others are
    /// refused until its result is in. A probe that never reports (its request ended before the call) stops holding
    /// the route after one base cool-off, so a lost probe costs at most one more cool-off.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <param name="refusal">Why not (state, until when, the last failure), safe to show; null when admitted.</param>
    public bool TryAdmit(DateTimeOffset now, out string? refusal)
    {
        lock (_gate)
        {
            refusal = null;
            switch (_state)
            {
                case BreakerState.Closed:
                    return true;
                case BreakerState.Open when now < _openUntil:
                    refusal = $"breaker open until {_openUntil:O} after {_failures} consecutive failures; last: {_lastFailure?.Reason}";
                    return false;
                case BreakerState.HalfOpen when _probeSince is { } since && now < since + _config.Open:
                    refusal = $"breaker half-open: a probe has been in flight since {since:O}; last failure: {_lastFailure?.Reason}";
                    return false;
                default:
                    _state = BreakerState.HalfOpen;
                    _probeSince = now;
                    return true;
            }
        }
    }

    /// <summary>A call to the route was served.</summary>
    public BreakerTransition OnSuccess()
    {
        lock (_gate)
        {
            switch (_state)
            {
                case BreakerState.Closed:
                    _failures = 0;
                    return BreakerTransition.None;
                case BreakerState.HalfOpen:
                    _state = BreakerState.Closed;
                    _failures = 0;
                    _reopens = 0;
                    _probeSince = null;
                    return BreakerTransition.Closed;
                default:
                    return BreakerTransition.None;
            }
        }
    }

    /// <summary>A call to the route failed; only the classes that <see cref="Counts"/> move the breaker.</summary>
    public BreakerTransition OnFailure(FailureClass failure, string reason, DateTimeOffset now)
    {
        if (!Counts(failure))
        {
            OnNeutral();
            return BreakerTransition.None;
        }

        lock (_gate)
        {
            if (_state == BreakerState.Open)
            {
                return BreakerTransition.None;
            }

            _failures++;
            _lastFailure = new BreakerFailure(now, Outcomes.Of(failure), reason);
            if (_state == BreakerState.HalfOpen)
            {
                _reopens++;
                Open(now);
                return BreakerTransition.Reopened;
            }

            if (_failures < _config.Failures)
            {
                return BreakerTransition.None;
            }

            _reopens = 0;
            Open(now);
            return BreakerTransition.Opened;
        }
    }

    /// <summary>A call ended in a way that says nothing about the route (client gone, rate limited): a probe's
    /// claim is released so the next request probes instead.</summary>
    public void OnNeutral()
    {
        lock (_gate)
        {
            if (_state == BreakerState.HalfOpen)
            {
                _probeSince = null;
            }
        }
    }

    /// <summary>The soonest moment <see cref="TryAdmit"/> lets a call through: the end of the cool-off when open,
    /// the end of an in-flight probe's hold when half-open, else <paramref name="now"/>.</summary>
    public DateTimeOffset NextAdmission(DateTimeOffset now)
    {
        lock (_gate)
        {
            var at = _state switch
            {
                BreakerState.Open => _openUntil,
                BreakerState.HalfOpen when _probeSince is { } since => since + _config.Open,
                _ => now,
            };
            return at > now ? at : now;
        }
    }

    public BreakerView View(DateTimeOffset now)
    {
        lock (_gate)
        {
            var state = _state == BreakerState.Open && now >= _openUntil ? BreakerState.HalfOpen : _state;
            return new BreakerView(state, _failures, state == BreakerState.Open ? _openUntil : null, _lastFailure);
        }
    }

    /// <summary>The cool-off after <paramref name="reopens"/> failed probes: the configured one, doubled per failed
    /// probe, up to <see cref="MaxBackoff"/> (or the configured one when that is longer).</summary>
    public static TimeSpan CoolOff(BreakerConfig config, int reopens)
    {
        var cap = config.Open > MaxBackoff ? config.Open : MaxBackoff;
        var seconds = config.Open.TotalSeconds * Math.Pow(2, Math.Min(reopens, 30));
        return seconds < cap.TotalSeconds ? TimeSpan.FromSeconds(seconds) : cap;
    }

    private void Open(DateTimeOffset now)
    {
        _state = BreakerState.Open;
        _openUntil = now + CoolOff(_config, _reopens);
        _probeSince = null;
    }
}
