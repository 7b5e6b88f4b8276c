using Spillway.Core.Chat;
using Spillway.Core.Ledger;
using Xunit;

namespace Spillway.TestSupport.Ledger;

/// <summary>Ledger entries for store tests; times are whole milliseconds, as the store keeps them.</summary>
public static class LedgerEntryFactory
{
    public static readonly DateTimeOffset BaseTime = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>An entry with every optional field set, and three attempts.</summary>
    public static LedgerEntry Full(string id, DateTimeOffset? time = null) => new()
    {
        Id = id,
        Time = time ?? BaseTime,
        ClientFormat = "anthropic",
        Model = "smart",
        Route = "openrouter/deepseek/deepseek-chat",
        Status = 200,
        Stream = true,
        Attempts =
        [
            new AttemptRecord("groq/llama-3.3-70b", "groq-1", 429, "rate_limited", 41.25, "per-minute tokens"),
            new AttemptRecord("groq/llama-3.3-70b", "groq-2", null, "skipped_cooldown", 0),
            new AttemptRecord("openrouter/deepseek/deepseek-chat", "or-main", 200, "ok", 812.5),
        ],
        Usage = new TokenUsage(InputTokens: 1200, OutputTokens: 345, CachedInputTokens: 1000, ReasoningTokens: 120, CacheWriteInputTokens: 150),
        CostUsd = 0.000123456789m,
        SavedUsd = 0.0042m,
        LatencyMs = 901.125,
        TtftMs = 230.5,
        Error = "upstream stream ended early: connection reset",
        ClientId = "team-a",
    };

    /// <summary>An entry with every optional field left null or empty.</summary>
    public static LedgerEntry Bare(string id, DateTimeOffset? time = null) => new()
    {
        Id = id,
        Time = time ?? BaseTime,
        ClientFormat = "openai",
        Model = "fast",
        Status = 503,
        Stream = false,
        LatencyMs = 3.5,
    };

    public static IReadOnlyList<LedgerEntry> Many(int count, string prefix = "r") =>
        [.. Enumerable.Range(0, count).Select(i => Bare($"{prefix}{i}", BaseTime.AddMilliseconds(i)))];

    /// <summary>
    /// Asserts every field equal, attempts element by element (ImmutableArray's own equality compares references).
    /// </summary>
    public static void AssertSame(LedgerEntry expected, LedgerEntry actual)
    {
        Assert.Equal(expected with { Attempts = default }, actual with { Attempts = default });
        Assert.Equal<AttemptRecord>(expected.Attempts.IsDefault ? [] : [.. expected.Attempts], [.. actual.Attempts]);
    }
}
