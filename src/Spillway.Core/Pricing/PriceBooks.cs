using Spillway.Core.Configuration;

namespace Spillway.Core.Pricing;

/// <summary>
/// The price book of the current config snapshot, built once per snapshot and shared by everything that prices:
/// the planner (ordering by price) and the cost calculator (the true cost of a call, budget estimates).
/// </summary>
/// <param name="live">Prices learnt at run time (the OpenRouter catalog); null for none.</param>
public sealed class PriceBooks(IPriceSource? live)
{
    private Entry? _current;

    /// <summary>The book of <paramref name="config"/>: the cached one while the snapshot is the same.</summary>
    public PriceBook For(SpillwayConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var current = Volatile.Read(ref _current);
        if (current is null || !ReferenceEquals(current.Config, config))
        {
            current = new Entry(config, PriceTable.For(config, live));
            Volatile.Write(ref _current, current);
        }

        return current.Book;
    }

    private sealed record Entry(SpillwayConfig Config, PriceBook Book);
}
