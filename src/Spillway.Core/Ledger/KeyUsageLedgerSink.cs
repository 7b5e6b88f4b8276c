using Spillway.Core.KeyState;

namespace Spillway.Core.Ledger;

/// <summary>
/// Stands in front of the ledger and counts, for every finished request, the upstream calls each key made (every
/// attempt but the skips), so <see cref="InMemoryKeyUsage"/> knows what each key sent today.
/// </summary>
public sealed class KeyUsageLedgerSink(ILedgerSink inner, InMemoryKeyUsage usage) : ILedgerSink
{
    public void Enqueue(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        foreach (var attempt in entry.Attempts)
        {
            if (attempt.KeyId is { } keyId && !Outcomes.IsSkip(attempt.Outcome))
            {
                usage.Record(keyId);
            }
        }

        inner.Enqueue(entry);
    }
}
