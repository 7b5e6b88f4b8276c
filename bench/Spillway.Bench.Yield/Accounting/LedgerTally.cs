using Spillway.Core.Ledger;

namespace Spillway.Bench.Yield.Accounting;

/// <summary>What the gateway's own ledger says about the run: requests recorded, and per key its upstream calls and 429 answers.</summary>
internal sealed class LedgerTally
{
    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _limited = new(StringComparer.Ordinal);

    private LedgerTally(int requests) => Requests = requests;

    public int Requests { get; }

    public static LedgerTally Of(IReadOnlyList<LedgerEntry> entries)
    {
        var tally = new LedgerTally(entries.Count);
        foreach (var attempt in entries.SelectMany(entry => entry.Attempts))
        {
            // A skipped step (cooldown, quota, breaker…) made no upstream call.
            if (attempt.KeyId is not { } key || attempt.Outcome.StartsWith("skipped_", StringComparison.Ordinal))
            {
                continue;
            }

            tally._calls[key] = tally.CallsTo(key) + 1;
            if (attempt.Status == 429)
            {
                tally._limited[key] = tally.LimitedAt(key) + 1;
            }
        }

        return tally;
    }

    /// <summary>Upstream calls made with the key.</summary>
    public int CallsTo(string keyId) => _calls.GetValueOrDefault(keyId);

    /// <summary>Upstream calls with the key that a provider answered with 429.</summary>
    public int LimitedAt(string keyId) => _limited.GetValueOrDefault(keyId);
}
