namespace Spillway.Core.Providers.RateLimits;

/// <summary>
/// What one upstream answer's headers said about the key's capacity. Every figure is null when the answer did not
/// state it; the key state merges snapshots and keeps what it already knew for the rest.
/// </summary>
public sealed record RateLimitSnapshot
{
    /// <summary>A snapshot that states nothing.</summary>
    public static RateLimitSnapshot Empty { get; } = new();

    /// <summary>Requests allowed per <see cref="RequestWindow"/>.</summary>
    public long? RequestLimit { get; init; }

    /// <summary>Requests left in the current window.</summary>
    public long? RequestsRemaining { get; init; }

    /// <summary>When the request window starts over (or, for OpenAI-style headers, fully refills).</summary>
    public DateTimeOffset? RequestsResetAt { get; init; }

    /// <summary>The window the request figures count over.</summary>
    public RateLimitWindow RequestWindow { get; init; }

    /// <summary>Tokens allowed per <see cref="TokenWindow"/>.</summary>
    public long? TokenLimit { get; init; }

    /// <summary>Tokens left in the current window.</summary>
    public long? TokensRemaining { get; init; }

    /// <summary>When the token window starts over (or fully refills).</summary>
    public DateTimeOffset? TokensResetAt { get; init; }

    /// <summary>The window the token figures count over.</summary>
    public RateLimitWindow TokenWindow { get; init; }

    /// <summary>Tokens allowed per month, where a provider states a monthly budget beside its per-minute one
    /// (Mistral).</summary>
    public long? MonthlyTokenLimit { get; init; }

    /// <summary>Tokens left this month (Mistral).</summary>
    public long? MonthlyTokensRemaining { get; init; }

    /// <summary>True when no figure at all was stated.</summary>
    public bool IsEmpty =>
        RequestLimit is null && RequestsRemaining is null && RequestsResetAt is null
        && TokenLimit is null && TokensRemaining is null && TokensResetAt is null
        && MonthlyTokenLimit is null && MonthlyTokensRemaining is null;
}
