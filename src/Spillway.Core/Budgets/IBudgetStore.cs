namespace Spillway.Core.Budgets;

/// <summary>
/// Every client's spend against its budgets, and the money held by calls in flight. In memory by default
/// (<see cref="BudgetBook"/>); a shared store stands behind the same interface when several instances must not
/// overshoot one budget together. Only the reservation is awaited: settling and releasing never hold up a request.
/// </summary>
public interface IBudgetStore
{
    /// <summary>Holds <paramref name="estimate"/> for a call when the client's budgets can take it.</summary>
    ValueTask<BudgetDecision> TryReserveAsync(ClientBudget budget, decimal estimate, CancellationToken cancellationToken);

    /// <summary>The call cost <paramref name="cost"/>: the hold becomes spend of that amount.</summary>
    void Settle(BudgetReservation reservation, decimal cost);

    /// <summary>The call was not billed (it failed before an answer): the hold is given back.</summary>
    void Release(BudgetReservation reservation);

    /// <summary>Adds what the ledger says the client spent before this process started (per UTC day).</summary>
    void Seed(string clientId, IReadOnlyDictionary<DateOnly, decimal> spendByDay);

    /// <summary>The client's spend today and this month, and what calls in flight hold.</summary>
    BudgetStatus StatusOf(string clientId);
}
