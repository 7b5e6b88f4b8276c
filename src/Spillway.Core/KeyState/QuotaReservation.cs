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

    /// <summary>A reservation of a store other than <see cref="QuotaBook"/> (a shared store), which keeps what it needs
    /// to settle it in <paramref name="handle"/>.</summary>
    public QuotaReservation(QuotaScope scope, long tokens, object handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        Scope = scope;
        Tokens = tokens;
        Handle = handle;
        Entries = [];
    }

    public QuotaScope Scope { get; }

    /// <summary>The tokens held (the estimate; 0 when no token limit is known).</summary>
    public long Tokens { get; }

    /// <summary>What the store that made this reservation keeps of it; null for <see cref="QuotaBook"/>'s own.</summary>
    public object? Handle { get; }

    /// <summary>The <see cref="QuotaBook"/> scope that made it; null when another store did.</summary>
    internal KeyQuota? Owner { get; }

    /// <summary>One entry per window, in <see cref="QuotaMeasures.All"/> order.</summary>
    internal QuotaEntry[] Entries { get; }

    /// <summary>Set once settled or released, so a second settlement is ignored.</summary>
    internal bool Closed { get; set; }
}
