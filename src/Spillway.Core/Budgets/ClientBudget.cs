namespace Spillway.Core.Budgets;

/// <summary>What one client may spend: per UTC day and per UTC calendar month (either may be unset).</summary>
public sealed record ClientBudget(string ClientId, decimal? DailyUsd, decimal? MonthlyUsd);
