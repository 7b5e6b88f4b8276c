namespace Spillway.Core.Ledger;

/// <summary>
/// What travels through the <see cref="LedgerWriter"/>'s queue: an entry to write, or a flush marker whose
/// completion is set once everything queued ahead of it has been written.
/// </summary>
/// <remarks>
/// Markers ride the same FIFO queue as entries, so "written before the marker" means exactly "enqueued before
/// the flush", even with many threads enqueueing at once; counters could not say that without a lock.
/// </remarks>
internal readonly struct LedgerWorkItem
{
    public LedgerWorkItem(LedgerEntry entry) => Entry = entry;

    public LedgerWorkItem(TaskCompletionSource flushed) => Flushed = flushed;

    /// <summary>The entry to write; null for a flush marker.</summary>
    public LedgerEntry? Entry { get; }

    /// <summary>The flush marker's completion; null for an entry.</summary>
    public TaskCompletionSource? Flushed { get; }
}
