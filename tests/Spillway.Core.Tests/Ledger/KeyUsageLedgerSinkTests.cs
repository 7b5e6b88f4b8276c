using Microsoft.Extensions.Time.Testing;
using Spillway.Core.KeyState;
using Spillway.Core.Ledger;

namespace Spillway.Core.Tests.Ledger;

public class KeyUsageLedgerSinkTests
{
    private sealed class Collected : ILedgerSink
    {
        public List<LedgerEntry> Entries { get; } = [];

        public void Enqueue(LedgerEntry entry) => Entries.Add(entry);
    }

    [Fact]
    public void Enqueue_CountsEveryCallButNotSkipsAndPassesTheEntryOn()
    {
        var usage = new InMemoryKeyUsage(new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 10, 0, 0, TimeSpan.Zero)));
        var inner = new Collected();
        var sink = new KeyUsageLedgerSink(inner, usage);
        var entry = new LedgerEntry
        {
            Id = "req-1",
            Time = DateTimeOffset.UnixEpoch,
            ClientFormat = "openai",
            Model = "chain",
            Status = 200,
            Stream = false,
            LatencyMs = 1,
            Attempts =
            [
                new AttemptRecord("a/m", "a-1", null, "skipped_cooldown", 0),
                new AttemptRecord("a/m", "a-2", 429, "rate_limited", 5),
                new AttemptRecord("b/m", "b-1", null, "timeout", 30),
                new AttemptRecord("b/m", "b-1", 200, "ok", 40),
            ],
        };

        sink.Enqueue(entry);

        Assert.Same(entry, Assert.Single(inner.Entries));
        Assert.Equal(0, usage.RequestsToday("a-1"));
        Assert.Equal(1, usage.RequestsToday("a-2"));
        Assert.Equal(2, usage.RequestsToday("b-1"));
    }
}
