namespace Spillway.Core.Configuration;

/// <summary>A virtual key a client presents to Spillway.</summary>
public sealed record ClientKeyConfig(string Id, Secret Value, bool AllowPaid = true, decimal? BudgetUsdPerDay = null);
