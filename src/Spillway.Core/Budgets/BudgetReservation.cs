namespace Spillway.Core.Budgets;

/// <summary>Money held for one call in progress, until it is settled with the call's real cost or released.</summary>
public sealed class BudgetReservation
{
    internal BudgetReservation(string clientId, decimal amount)
    {
        ClientId = clientId;
        Amount = amount;
    }

    /// <summary>A hold of a store other than <see cref="BudgetBook"/> (a shared store), which keeps what it needs to
    /// settle it in <paramref name="handle"/>.</summary>
    public BudgetReservation(string clientId, decimal amount, object handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ClientId = clientId;
        Amount = amount;
        Handle = handle;
    }

    public string ClientId { get; }

    /// <summary>The estimate held: the most the call is expected to cost.</summary>
    public decimal Amount { get; }

    /// <summary>What the store that made this hold keeps of it; null for <see cref="BudgetBook"/>'s own.</summary>
    public object? Handle { get; }

    /// <summary>Set once settled or released, so a second settle cannot count it twice.</summary>
    internal bool Done { get; set; }
}
