using Spillway.Core.Configuration;
using Spillway.Core.Failures;

namespace Spillway.Core.Health;

/// <summary>
/// The breakers of every route (<see cref="RouteBreaker"/> tells the states). In memory by default
/// (<see cref="RouteBreakerBook"/>); a shared store stands behind the same interface so that several instances open
/// a route together and send it one probe between them. Only the admission is awaited: what a call's end teaches
/// the breaker never holds up a request.
/// </summary>
public interface IRouteBreakers
{
    BreakerConfig Config { get; }

    /// <summary>May a call go to the route now? Admitting may make this call the route's one probe.</summary>
    ValueTask<BreakerAdmission> TryAdmitAsync(string route, CancellationToken cancellationToken);

    /// <summary>A call to the route was served.</summary>
    BreakerTransition OnSuccess(string route);

    /// <summary>A call to the route failed; only the classes that <see cref="RouteBreaker.Counts"/> move the breaker.</summary>
    BreakerTransition OnFailure(string route, FailureClassification failure);

    /// <summary>A call ended in a way that says nothing about the route; a probe's claim is released.</summary>
    void OnNeutral(string route);

    /// <summary>The soonest moment the route lets a call through.</summary>
    DateTimeOffset NextAdmission(string route);

    BreakerView View(string route);

    /// <summary>Closes the route's breaker by hand; returns its state before.</summary>
    BreakerState Reset(string route);

    /// <summary>The routes that have a breaker.</summary>
    IEnumerable<string> Routes { get; }
}
