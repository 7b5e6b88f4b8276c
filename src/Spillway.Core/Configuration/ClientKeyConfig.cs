using System.Collections.Immutable;

namespace Spillway.Core.Configuration;

/// <summary>
/// A client of Spillway and what it may do. Its virtual key is held only as <see cref="KeyHash"/>
/// (<see cref="ClientKeyHash"/>), so neither the config snapshot nor the database can give it away.
/// </summary>
/// <param name="Id">Shown in the ledger and the admin API.</param>
/// <param name="KeyHash">The SHA-256 of the client's key, lower-case hex.</param>
public sealed record ClientKeyConfig(string Id, string KeyHash)
{
    /// <summary>False: free tiers only, never a paid key (as if every request sent <c>x-spillway-max-tier: free</c>).</summary>
    public bool AllowPaid { get; init; } = true;

    /// <summary>The most USD this client may spend per UTC day; null for no limit.</summary>
    public decimal? BudgetUsdPerDay { get; init; }

    /// <summary>The most USD this client may spend per UTC calendar month; null for no limit.</summary>
    public decimal? BudgetUsdPerMonth { get; init; }

    /// <summary>The most requests per minute (sliding); null for no limit.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>The aliases and routes this client may name in <c>model</c> / <c>models</c>; empty allows every one.</summary>
    public ImmutableArray<string> AllowedModels { get; init; } = [];

    /// <summary>Never route to a provider that may train on prompts (as if every request sent
    /// <c>x-spillway-data-policy: no-train</c>).</summary>
    public bool NoTrain { get; init; }

    /// <summary>True when a daily or monthly budget bounds this client's spend.</summary>
    public bool HasBudget => BudgetUsdPerDay is not null || BudgetUsdPerMonth is not null;

    /// <summary>Whether the client may name <paramref name="model"/> (an alias or a route).</summary>
    public bool MayUse(string model) =>
        AllowedModels.IsDefaultOrEmpty || AllowedModels.Contains(model, StringComparer.Ordinal);
}
