using Spillway.Bench.Yield.Workload;

namespace Spillway.Bench.Yield.Report;

/// <summary>Everything the table shows about one run.</summary>
internal sealed record YieldResult(
    YieldOptions Options,
    DateTimeOffset Start,
    TimeSpan WallClock,
    IReadOnlyList<RequestOutcome> Requests,
    IReadOnlyList<ProviderRow> Providers,
    int LedgerRequests)
{
    public int Total => Requests.Count;

    public int Failed => Requests.Count(r => !r.Served);

    public int ServedFree => Providers.Where(p => p.Free).Sum(p => p.Served);

    public int ServedPaid => Providers.Where(p => !p.Free).Sum(p => p.Served);

    /// <summary>The most requests any routing could have served free: the free keys' capacity, at most every request.</summary>
    public int FreeMaximum => Math.Min(Total, Providers.Sum(p => p.Capacity ?? 0));

    public int LimitedCalls => Providers.Sum(p => p.Limited);

    public int SpentKeyCalls => Providers.Sum(p => p.Audit.Spent);

    public int PaidCalls => Providers.Where(p => !p.Free).Sum(p => p.Audit.Calls);

    public int UpstreamCalls => Providers.Sum(p => p.Audit.Calls);
}
