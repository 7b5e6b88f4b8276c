using Spillway.Core.Ledger;

namespace Spillway.Core.Tests.Ledger;

/// <summary>Minimal ledger entries for writer tests.</summary>
internal static class TestEntries
{
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static LedgerEntry Create(string id) => new()
    {
        Id = id,
        Time = Epoch,
        ClientFormat = "openai",
        Model = "fast",
        Status = 200,
        Stream = false,
        LatencyMs = 12.5,
    };

    public static LedgerEntry[] Many(int count, string prefix = "r") =>
        [.. Enumerable.Range(0, count).Select(i => Create($"{prefix}{i}"))];
}
