namespace Spillway.Core.KeyState;

/// <summary>One quota window as it is persisted: enough to survive a restart (day counters, learned limits,
/// a stated remaining still in force). Minute counts are not kept: a restart forgets at most one minute.</summary>
/// <param name="Model">Empty for a key-wide window.</param>
/// <param name="Used">Day windows: what was counted in the day ending at <paramref name="WindowResetAt"/>.</param>
public sealed record QuotaRecord(
    string KeyId,
    string Model,
    QuotaMeasure Measure,
    long? LearnedLimit,
    long Used,
    DateTimeOffset? WindowResetAt,
    long? StatedRemaining,
    DateTimeOffset? StatedUntil);
