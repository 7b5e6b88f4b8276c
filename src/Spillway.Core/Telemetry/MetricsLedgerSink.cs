using Spillway.Core.Ledger;

namespace Spillway.Core.Telemetry;

/// <summary>Stands in front of the ledger and counts every request's entry in the gateway's metrics on its way.</summary>
public sealed class MetricsLedgerSink(ILedgerSink inner, GatewayMetrics metrics) : ILedgerSink
{
    public void Enqueue(LedgerEntry entry)
    {
        metrics.Record(entry);
        inner.Enqueue(entry);
    }
}
