namespace Spillway.Simulator;

/// <summary>The outcome of asking the <see cref="QuotaTracker"/> to admit one request.</summary>
/// <param name="Exceeded">Null when the request was admitted (and counted); otherwise the window that is full.</param>
/// <param name="Limit">The limit of the exceeded window (0 when admitted).</param>
/// <param name="RetryAfter">When a request would be admitted again (zero when admitted).</param>
/// <param name="Snapshot">The key's usage after this decision.</param>
internal readonly record struct QuotaVerdict(QuotaWindow? Exceeded, int Limit, TimeSpan RetryAfter, QuotaSnapshot Snapshot)
{
    public bool Admitted => Exceeded is null;
}
