using Microsoft.Extensions.Time.Testing;
using Spillway.Core.KeyState;

namespace Spillway.Core.Tests.KeyState;

public class InMemoryKeyUsageTests
{
    [Fact]
    public void RequestsToday_CountsRecordsPerKey()
    {
        var usage = new InMemoryKeyUsage(new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 10, 0, 0, TimeSpan.Zero)));

        usage.Record("a");
        usage.Record("a");
        usage.Record("b");

        Assert.Equal(2, usage.RequestsToday("a"));
        Assert.Equal(1, usage.RequestsToday("b"));
        Assert.Equal(0, usage.RequestsToday("never"));
    }

    [Fact]
    public void RequestsToday_NewUtcDay_StartsAgainFromZero()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 23, 59, 0, TimeSpan.Zero));
        var usage = new InMemoryKeyUsage(time);
        usage.Record("a");
        usage.Record("a");

        time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(0, usage.RequestsToday("a"));
        usage.Record("a");
        Assert.Equal(1, usage.RequestsToday("a"));
    }

    [Fact]
    public async Task Record_FromManyThreads_NoneLost()
    {
        var usage = new InMemoryKeyUsage(new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 10, 0, 0, TimeSpan.Zero)));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                usage.Record("a");
            }
        })));

        Assert.Equal(8000, usage.RequestsToday("a"));
    }
}
