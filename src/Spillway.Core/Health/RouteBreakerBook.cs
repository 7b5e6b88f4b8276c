using System.Collections.Concurrent;
using Spillway.Core.Configuration;
using Spillway.Core.Failures;

namespace Spillway.Core.Health;

/// <summary>
/// The breakers of all routes (<c>provider/model</c>), shared by every key of the route's provider: an overloaded
/// or failing model is unwell whichever key calls it. A route gets a breaker at its first counted failure.
/// </summary>
public sealed class RouteBreakerBook(BreakerConfig config, TimeProvider time) : IRouteBreakers
{
    private readonly ConcurrentDictionary<string, RouteBreaker> _routes = new(StringComparer.Ordinal);

    public BreakerConfig Config { get; } = config;

    /// <inheritdoc cref="RouteBreaker.TryAdmit"/>
    public bool TryAdmit(string route, out string? refusal)
    {
        if (_routes.TryGetValue(route, out var breaker))
        {
            return breaker.TryAdmit(time.GetUtcNow(), out refusal);
        }

        refusal = null;
        return true;
    }

    /// <inheritdoc />
    public ValueTask<BreakerAdmission> TryAdmitAsync(string route, CancellationToken cancellationToken) =>
        new(TryAdmit(route, out var refusal) ? BreakerAdmission.Yes : BreakerAdmission.No(refusal!));

    public BreakerTransition OnSuccess(string route) =>
        _routes.TryGetValue(route, out var breaker) ? breaker.OnSuccess() : BreakerTransition.None;

    public BreakerTransition OnFailure(string route, FailureClassification failure)
    {
        if (!RouteBreaker.Counts(failure.Class))
        {
            OnNeutral(route);
            return BreakerTransition.None;
        }

        var breaker = _routes.GetOrAdd(route, static (_, c) => new RouteBreaker(c), Config);
        return breaker.OnFailure(failure.Class, failure.Reason, time.GetUtcNow());
    }

    public void OnNeutral(string route)
    {
        if (_routes.TryGetValue(route, out var breaker))
        {
            breaker.OnNeutral();
        }
    }

    /// <inheritdoc cref="RouteBreaker.NextAdmission"/>
    public DateTimeOffset NextAdmission(string route)
    {
        var now = time.GetUtcNow();
        return _routes.TryGetValue(route, out var breaker) ? breaker.NextAdmission(now) : now;
    }

    public BreakerView View(string route) =>
        _routes.TryGetValue(route, out var breaker) ? breaker.View(time.GetUtcNow()) : BreakerView.Closed;

    /// <summary>Closes the route's breaker by hand (the provider says it is fixed): the next request calls it.
    /// A probe still in flight settles against nothing.</summary>
    /// <returns>The breaker's state before the reset; closed when the route had none.</returns>
    public BreakerState Reset(string route) =>
        _routes.TryRemove(route, out var breaker) ? breaker.View(time.GetUtcNow()).State : BreakerState.Closed;

    /// <summary>The routes that have a breaker (at least one counted failure since the start).</summary>
    public IEnumerable<string> Routes => _routes.Keys;
}
