using System.Collections.Concurrent;

namespace Spillway.Core.KeyState;

/// <summary>
/// Counts the requests each key sent, per UTC day, in memory: what <c>least-used</c> needs until quota accounting
/// knows each provider's real day window. Lost on restart, which only costs a day's balance between keys.
/// </summary>
public sealed class InMemoryKeyUsage(TimeProvider time) : IKeyUsage
{
    private readonly ConcurrentDictionary<string, DayCount> _counts = new(StringComparer.Ordinal);

    public long RequestsToday(string keyId) =>
        _counts.TryGetValue(keyId, out var count) ? count.RequestsOn(Today()) : 0;

    /// <summary>Counts one request sent with <paramref name="keyId"/>.</summary>
    public void Record(string keyId) =>
        _counts.GetOrAdd(keyId, static _ => new DayCount()).Add(Today());

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    /// <summary>One key's count, changed in place (a dictionary update would allocate a node per request).</summary>
    private sealed class DayCount
    {
        private readonly Lock _gate = new();
        private DateOnly _day;
        private long _requests;

        public long RequestsOn(DateOnly day)
        {
            lock (_gate)
            {
                return _day == day ? _requests : 0;
            }
        }

        public void Add(DateOnly day)
        {
            lock (_gate)
            {
                if (_day != day)
                {
                    _day = day;
                    _requests = 0;
                }

                _requests++;
            }
        }
    }
}
