namespace Spillway.Core.Configuration;

/// <summary>How long the ledger keeps its entries (contract: <c>ledger:</c>).</summary>
/// <param name="RetentionDays">Entries (with their attempts) older than this many days are deleted in the background;
/// 0 keeps every entry forever.</param>
public sealed record LedgerConfig(int RetentionDays)
{
    /// <summary>The most days <see cref="RetentionDays"/> takes (100 years).</summary>
    public const int MaxRetentionDays = 36_500;

    /// <summary>90 days: enough for the usage reports of a quarter, while a busy gateway's file stays bounded.</summary>
    public static LedgerConfig Default { get; } = new(90);

    /// <summary>How long an entry is kept, or null when entries are kept forever.</summary>
    public TimeSpan? Retention => RetentionDays == 0 ? null : TimeSpan.FromDays(RetentionDays);
}
