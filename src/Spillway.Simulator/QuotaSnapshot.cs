namespace Spillway.Simulator;

/// <summary>
/// The usage of one API key as the rate-limit headers report it, taken at one instant.
/// </summary>
/// <param name="MinuteRequests">Requests accepted in the sliding last 60 seconds.</param>
/// <param name="MinuteTokens">Tokens (prompt + completion) of those requests.</param>
/// <param name="MinuteReset">Until the oldest of those requests leaves the window (zero when there is none).</param>
/// <param name="DayRequests">Requests accepted in the current UTC day.</param>
/// <param name="DayReset">Until the next UTC midnight.</param>
/// <param name="MonthTokens">Tokens used in the current UTC month (Mistral reports a monthly token budget).</param>
/// <param name="NextMidnight">The next UTC midnight.</param>
internal readonly record struct QuotaSnapshot(
    int MinuteRequests,
    int MinuteTokens,
    TimeSpan MinuteReset,
    int DayRequests,
    TimeSpan DayReset,
    long MonthTokens,
    DateTimeOffset NextMidnight);
