namespace Spillway.Core.Providers;

/// <summary>In which order a provider's keys are tried for one route (<c>key_selection:</c>).</summary>
public enum KeySelection
{
    /// <summary>The config order: the first key takes every request it can, which keeps provider prompt caches warm.</summary>
    FillFirst,

    /// <summary>Each request starts at the next key, so the load spreads evenly.</summary>
    RoundRobin,

    /// <summary>The key that sent the fewest requests today first.</summary>
    LeastUsed,
}
