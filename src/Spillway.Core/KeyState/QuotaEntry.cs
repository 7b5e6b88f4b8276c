namespace Spillway.Core.KeyState;

/// <summary>One amount counted in a window: a request (1) or tokens. Adjusted when a reservation settles.</summary>
internal sealed class QuotaEntry(DateTimeOffset at, long amount, DateTimeOffset? epoch, int statement)
{
    /// <summary>When it was counted.</summary>
    public DateTimeOffset At { get; } = at;

    public long Amount { get; set; } = amount;

    /// <summary>For a day window: the reset of the day it was counted in, so a late settlement never touches the next day.</summary>
    public DateTimeOffset? Epoch { get; } = epoch;

    /// <summary>The provider statement in force when it was counted: a later statement already includes it.</summary>
    public int Statement { get; } = statement;

    /// <summary>For a minute window: still in its log (counted in its running sum).</summary>
    public bool InLog { get; set; }
}
