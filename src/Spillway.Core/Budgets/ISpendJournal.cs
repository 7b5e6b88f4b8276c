namespace Spillway.Core.Budgets;

/// <summary>
/// A budgeted client's paid spend, made durable before the answer that incurred it completes. The ledger is written
/// in the background (batched, a few milliseconds behind); a process killed in between (an OOM kill, <c>kill -9</c>)
/// would lose those rows, and the restart, seeding budgets from the ledger, would hand the money out again. The
/// journal closes that gap: at start, what it holds that the ledger does not is put back into the ledger, and the
/// budgets are seeded from both.
/// </summary>
public interface ISpendJournal
{
    /// <summary>Records one call's spend durably before returning.</summary>
    ValueTask RecordAsync(JournaledCall call, CancellationToken cancellationToken);
}
