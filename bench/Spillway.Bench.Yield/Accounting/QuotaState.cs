namespace Spillway.Bench.Yield.Accounting;

/// <summary>Whether a key's known quota admits one more request, and if not, which window is spent.</summary>
internal enum QuotaState
{
    Open,
    MinuteSpent,
    DaySpent,
}
