using Spillway.Bench.Yield.Accounting;
using Spillway.Bench.Yield.Fleet;
using Spillway.Core.Providers;

namespace Spillway.Bench.Yield.Report;

/// <summary>One provider's line of the table.</summary>
/// <param name="Member">The provider.</param>
/// <param name="Known">Its key's known limits for the route's model, from the config.</param>
/// <param name="Capacity">Requests its free quota could serve over the run; null for the paid key.</param>
/// <param name="Served">Client requests it served (by <c>x-spillway-route</c>).</param>
/// <param name="Audit">Its simulator's calls replayed against the known quota.</param>
/// <param name="LedgerCalls">Upstream calls with its key in the gateway's ledger.</param>
/// <param name="Limited">Those calls that were answered 429.</param>
internal sealed record ProviderRow(
    FleetMember Member, KeyLimits Known, int? Capacity, int Served, KeyAudit Audit, int LedgerCalls, int Limited)
{
    public bool Free => Member.Tier == KeyTier.Free;
}
