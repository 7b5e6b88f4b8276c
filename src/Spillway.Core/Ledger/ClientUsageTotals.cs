namespace Spillway.Core.Ledger;

/// <summary>Spend and savings of the requests one client had served over a span of days (<c>GET /admin/usage</c>).</summary>
/// <param name="ClientId">The virtual client key's id; null for anonymous loopback clients.</param>
/// <param name="Requests">Requests served.</param>
/// <param name="CostUsd">What they cost, summed over those whose cost is known.</param>
/// <param name="SavedUsd">What the free ones saved.</param>
public sealed record ClientUsageTotals(string? ClientId, long Requests, decimal CostUsd, decimal SavedUsd);
