namespace Spillway.Core.Budgets;

/// <summary>A client's spend as it stands, for the admin API: settled spend today and this month, and money held by calls in flight.</summary>
public sealed record BudgetStatus(decimal SpentToday, decimal SpentThisMonth, decimal Held, DateTimeOffset DayResetsAt, DateTimeOffset MonthResetsAt);
