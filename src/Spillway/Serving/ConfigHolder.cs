using Spillway.Core.Configuration;

namespace Spillway.Serving;

/// <summary>The current config snapshot; a reload swaps it atomically and requests in flight keep theirs.</summary>
internal sealed class ConfigHolder(SpillwayConfig initial)
{
    private volatile SpillwayConfig _current = initial;

    public SpillwayConfig Current => _current;

    public void Swap(SpillwayConfig next) => _current = next;
}
