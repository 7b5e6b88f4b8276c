namespace Spillway.Core.KeyState;

/// <summary>One quota as the admin API shows it; every figure null where unknown.</summary>
public readonly record struct QuotaFigure(long? Limit, long? Remaining, DateTimeOffset? ResetAt)
{
    /// <summary>True when <see cref="Limit"/> was inferred from a 429 that came after that many calls, not stated.</summary>
    public bool LimitInferred { get; init; }
}

/// <summary>The four quotas of one scope.</summary>
public sealed class QuotaFigures(QuotaFigure[] figures)
{
    public QuotaFigure this[QuotaMeasure measure] => figures[(int)measure];
}
