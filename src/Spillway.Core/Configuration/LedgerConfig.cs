namespace Spillway.Core.Configuration;

/// <summary>How long the ledger keeps its entries and the stored Responses API answers (contract: <c>ledger:</c>).</summary>
/// <param name="RetentionDays">Entries (with their attempts) older than this many days are deleted in the background;
/// 0 keeps every entry forever.</param>
public sealed record LedgerConfig(int RetentionDays)
{
    /// <summary>7 days: long enough for a conversation to come back to, short enough that prompts do not pile up.</summary>
    public const int DefaultResponsesRetentionDays = 7;

    /// <summary>The most days <see cref="RetentionDays"/> takes (100 years).</summary>
    public const int MaxRetentionDays = 36_500;

    /// <summary>90 days: enough for the usage reports of a quarter, while a busy gateway's file stays bounded.</summary>
    public static LedgerConfig Default { get; } = new(90);

    /// <summary>How long an entry is kept, or null when entries are kept forever.</summary>
    public TimeSpan? Retention => RetentionDays == 0 ? null : TimeSpan.FromDays(RetentionDays);

    /// <summary>
    /// <c>responses_retention_days</c>: stored Responses answers (<c>store: true</c>) older than this many days can no
    /// longer be read or continued and are deleted in the background; 0 keeps them until deleted.
    /// </summary>
    public int ResponsesRetentionDays { get; init; } = DefaultResponsesRetentionDays;

    /// <summary>How long a stored response is kept, or null when kept until deleted.</summary>
    public TimeSpan? ResponsesRetention => ResponsesRetentionDays == 0 ? null : TimeSpan.FromDays(ResponsesRetentionDays);
}
