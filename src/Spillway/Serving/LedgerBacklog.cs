using Spillway.Core.Ledger;

namespace Spillway.Serving;

/// <summary>
/// The ledger writer's state for <c>/healthz</c>: entries waiting to be written (at most <paramref name="Capacity"/>
/// queued, then new ones are dropped), entries dropped since start, and whether the ledger store cannot be written now.
/// </summary>
internal sealed record LedgerBacklog(long Queued, long Dropped, int Capacity, bool StoreFailing)
{
    public static LedgerBacklog None { get; } = new(0, 0, 0, false);

    /// <summary>What <paramref name="writer"/> says now.</summary>
    public static LedgerBacklog Of(LedgerWriter writer) =>
        new(writer.QueuedCount, writer.DroppedCount, writer.Capacity, writer.IsStoreFailing);
}
