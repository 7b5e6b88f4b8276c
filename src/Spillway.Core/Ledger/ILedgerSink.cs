namespace Spillway.Core.Ledger;

/// <summary>The hot path's side of the ledger: hand an entry over and return at once; never waits on disk.</summary>
public interface ILedgerSink
{
    void Enqueue(LedgerEntry entry);
}
