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
        _counts.TryGetValue(keyId, out var count) && count.Day == Today() ? count.Requests : 0;

    /// <summary>Counts one request sent with <paramref name="keyId"/>.</summary>
    public void Record(string keyId)
    {
        var today = Today();
        _counts.AddOrUpdate(
            keyId,
            static (_, day) => new DayCount(day, 1),
            static (_, count, day) => count.Day == day ? count with { Requests = count.Requests + 1 } : new DayCount(day, 1),
            today);
    }

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    private readonly record struct DayCount(DateOnly Day, long Requests);
}
