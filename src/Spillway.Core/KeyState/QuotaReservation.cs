namespace Spillway.Core.KeyState;

/// <summary>Capacity held for one upstream call between admission and its answer: one request and the
/// estimated tokens, counted in every window of the scope. Settled with the real usage, or released.</summary>
public sealed class QuotaReservation
{
    internal QuotaReservation(KeyQuota owner, QuotaScope scope, QuotaEntry[] entries, long tokens)
    {
        Owner = owner;
        Scope = scope;
        Entries = entries;
        Tokens = tokens;
    }

    public QuotaScope Scope { get; }

    /// <summary>The tokens held (the estimate; 0 when no token limit is known).</summary>
    public long Tokens { get; }

    internal KeyQuota Owner { get; }

    /// <summary>One entry per window, in <see cref="QuotaMeasures.All"/> order.</summary>
    internal QuotaEntry[] Entries { get; }

    /// <summary>Set once settled or released, so a second settlement is ignored.</summary>
    internal bool Closed { get; set; }
}
