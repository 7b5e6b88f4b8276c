namespace Spillway.Core.Budgets;

/// <summary>Money held for one call in progress, until it is settled with the call's real cost or released.</summary>
public sealed class BudgetReservation
{
    internal BudgetReservation(string clientId, decimal amount)
    {
        ClientId = clientId;
        Amount = amount;
    }

    public string ClientId { get; }

    /// <summary>The estimate held: the most the call is expected to cost.</summary>
    public decimal Amount { get; }

    /// <summary>Set once settled or released, so a second settle cannot count it twice.</summary>
    internal bool Done { get; set; }
}
