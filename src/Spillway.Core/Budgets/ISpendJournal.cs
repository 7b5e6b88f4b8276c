namespace Spillway.Core.Budgets;

/// <summary>
/// A budgeted client's paid spend, made durable before the answer that incurred it completes. The ledger is written
/// in the background (batched, a few milliseconds behind); a process killed in between (an OOM kill, <c>kill -9</c>)
/// would lose those rows, and the restart, seeding budgets from the ledger, would hand the money out again. The
/// journal closes that gap: the start-up seeding adds what it holds that the ledger does not.
/// </summary>
public interface ISpendJournal
{
    /// <summary>Records one call's spend durably before returning.</summary>
    /// <param name="requestId">The request's ledger id.</param>
    /// <param name="call">The call's number within the request (a continued stream makes several).</param>
    /// <param name="clientId">The client whose budget it comes out of.</param>
    /// <param name="at">When it was spent.</param>
    /// <param name="costUsd">What it cost.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask RecordAsync(string requestId, int call, string clientId, DateTimeOffset at, decimal costUsd, CancellationToken cancellationToken);
}
