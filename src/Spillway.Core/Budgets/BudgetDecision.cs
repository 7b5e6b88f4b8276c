using System.Globalization;

namespace Spillway.Core.Budgets;

/// <summary>The answer to "may this client spend up to this much now?": a reservation, or why not.</summary>
/// <param name="Reason">Why it was refused when not for the figures (a shared budget that cannot be read); null otherwise.</param>
public sealed record BudgetDecision(
    BudgetReservation? Reservation, BudgetWindow? Window, decimal Limit, decimal Spent, decimal Held, decimal Needed, DateTimeOffset ResetAt, string? Reason = null)
{
    /// <summary>For the ledger's skip detail: "daily budget $5.0000: $4.9990 spent, $0.0008 held, needs $0.0020; resets at …".</summary>
    public string Describe() => Reason ?? string.Create(
        CultureInfo.InvariantCulture,
        $"{(Window == BudgetWindow.Month ? "monthly" : "daily")} budget ${Limit:0.0000##}: ${Spent:0.0000##} spent, ${Held:0.0000##} held, this call may cost up to ${Needed:0.0000##}; resets at {ResetAt:O}");
}

/// <summary>Which of a client's budgets refused.</summary>
public enum BudgetWindow
{
    Day,
    Month,
}
