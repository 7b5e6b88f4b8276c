using System.Collections.Concurrent;

namespace Spillway.Core.Health;

/// <summary>
/// How fast each route has served lately: moving averages of the latency of non-streamed calls and of the time to
/// first token of streams, measured per call from its send (so earlier failed steps and the gateway's own work are
/// not charged to the route). Failed calls are not measured; the breaker deals with them.
/// </summary>
public sealed class RouteSpeedBook : IRouteSpeed
{
    /// <summary>How much each new sample moves the average: the last five or so calls carry most of the weight,
    /// so a route that slows down drops back within a few requests while one slow answer moves it by under a third.</summary>
    public const double Weight = 0.3;

    private readonly ConcurrentDictionary<string, Speed> _routes = new(StringComparer.Ordinal);

    /// <summary>A served non-streamed call took <paramref name="ms"/> from send to the whole answer.</summary>
    public void RecordLatency(string route, double ms) => For(route).Add(ms, ttft: false);

    /// <summary>A served stream's first content came <paramref name="ms"/> after the send.</summary>
    public void RecordTtft(string route, double ms) => For(route).Add(ms, ttft: true);

    /// <summary>
    /// The time to first token when the route has served streams, else the latency of its non-streamed calls: the
    /// time before a client sees the answer start. Null while the route has served neither.
    /// </summary>
    public double? ExpectedLatencyMs(string route)
    {
        var view = View(route);
        return view.TtftMs ?? view.LatencyMs;
    }

    public RouteSpeedView View(string route) =>
        _routes.TryGetValue(route, out var speed) ? speed.View() : RouteSpeedView.Unmeasured;

    /// <summary>The routes measured at least once.</summary>
    public IEnumerable<string> Routes => _routes.Keys;

    private Speed For(string route) => _routes.GetOrAdd(route, static _ => new Speed());

    private sealed class Speed
    {
        private readonly Lock _gate = new();
        private MovingAverage _latency;
        private MovingAverage _ttft;

        public void Add(double ms, bool ttft)
        {
            if (!double.IsFinite(ms) || ms < 0)
            {
                return;
            }

            lock (_gate)
            {
                if (ttft)
                {
                    _ttft = _ttft.Add(ms, Weight);
                }
                else
                {
                    _latency = _latency.Add(ms, Weight);
                }
            }
        }

        public RouteSpeedView View()
        {
            lock (_gate)
            {
                return new RouteSpeedView(_latency.Current, _ttft.Current, _latency.Samples + _ttft.Samples);
            }
        }
    }
}
