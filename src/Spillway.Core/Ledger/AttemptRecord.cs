namespace Spillway.Core.Ledger;

/// <summary>One step of a request's way through the chain: an upstream call, or a skip that made none.</summary>
/// <param name="Route"><c>provider/model</c>.</param>
/// <param name="KeyId">The key's id (never the key), null when the step had no key.</param>
/// <param name="Status">The upstream HTTP status; null when no call was made or no answer came.</param>
/// <param name="Outcome"><c>ok</c>, a failure class or a skip (<see cref="Routing.Outcomes"/>).</param>
/// <param name="LatencyMs">Time spent on this step.</param>
/// <param name="Detail">A short reason, safe to show.</param>
public sealed record AttemptRecord(
    string Route,
    string? KeyId,
    int? Status,
    string Outcome,
    double LatencyMs,
    string? Detail = null);
