using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Spillway.Core.Planning;

/// <summary>A turn counter per provider, safe across threads: each request takes the next number.</summary>
internal sealed class KeyRotation
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _next = new(StringComparer.Ordinal);

    /// <summary>This request's turn at <paramref name="providerId"/>: 0, 1, 2, … in the order requests ask.</summary>
    public ulong Next(string providerId)
    {
        var counter = _next.GetOrAdd(providerId, static _ => new StrongBox<long>(-1));
        return (ulong)Interlocked.Increment(ref counter.Value);
    }
}
