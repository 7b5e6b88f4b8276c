namespace Spillway.Core.Ledger;

/// <summary>One page of the ledger, newest first (<see cref="ILedgerStore.ListPageAsync"/>).</summary>
/// <param name="Entries">The entries of the page.</param>
/// <param name="HasMore">True when entries older than the last one of the page exist.</param>
public sealed record LedgerPage(IReadOnlyList<LedgerEntry> Entries, bool HasMore)
{
    /// <summary>The id to ask the next page with (the last entry's), or null when this page is the last.</summary>
    public string? NextBefore => HasMore && Entries.Count > 0 ? Entries[^1].Id : null;

    /// <summary>How many entries a store reads for a page of <paramref name="limit"/>: one more, to know whether a next
    /// page exists (still <see cref="int.MaxValue"/> for "all of them", which has no next page).</summary>
    public static int ReadCount(int limit) => limit == int.MaxValue ? limit : limit + 1;

    /// <summary>The page of <paramref name="limit"/> entries out of <paramref name="read"/>, which a store reads one
    /// longer than asked: whether that one more exists says whether there is a next page.</summary>
    public static LedgerPage Of(IReadOnlyList<LedgerEntry> read, int limit) =>
        read.Count > limit ? new LedgerPage([.. read.Take(limit)], HasMore: true) : new LedgerPage(read, HasMore: false);
}
