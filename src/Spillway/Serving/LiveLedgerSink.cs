using Spillway.Core.Ledger;

namespace Spillway.Serving;

/// <summary>Stands in front of the ledger and shows each entry to the live watchers (<see cref="LiveRequests"/>) on its way.</summary>
internal sealed class LiveLedgerSink(ILedgerSink inner, LiveRequests live) : ILedgerSink
{
    public void Enqueue(LedgerEntry entry)
    {
        inner.Enqueue(entry);
        live.Publish(entry);
    }
}
