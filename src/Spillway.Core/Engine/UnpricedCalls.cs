using System.Collections.Concurrent;

namespace Spillway.Core.Engine;

/// <summary>Paid calls served on a route with no known price, counted per route since the gateway started.</summary>
public sealed class UnpricedCalls
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>Counts one call; true when it is the route's first (the one worth a warning).</summary>
    public bool Add(string route) => _counts.AddOrUpdate(route, 1, static (_, n) => n + 1) == 1;

    /// <summary>The counts so far, by route.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Snapshot() =>
        [.. _counts.OrderBy(pair => pair.Key, StringComparer.Ordinal)];
}
