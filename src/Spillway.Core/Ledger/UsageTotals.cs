namespace Spillway.Core.Ledger;

/// <summary>Spend and savings of the requests one route served on one UTC day (<c>GET /admin/usage</c>, <c>spillway usage</c>).</summary>
/// <param name="Day">The UTC day, <c>yyyy-MM-dd</c>.</param>
/// <param name="Route">The <c>provider/model</c> that served them.</param>
/// <param name="Requests">Requests served.</param>
/// <param name="CostUsd">What they cost, summed over those whose cost is known.</param>
/// <param name="SavedUsd">What the free ones saved.</param>
/// <param name="UnpricedRequests">Served requests whose cost is unknown (no price, or no usage reported).</param>
/// <param name="InputTokens">Input tokens, cached included.</param>
/// <param name="OutputTokens">Output tokens, reasoning included.</param>
public sealed record UsageTotals(
    string Day,
    string Route,
    long Requests,
    decimal CostUsd,
    decimal SavedUsd,
    long UnpricedRequests,
    long InputTokens,
    long OutputTokens);
