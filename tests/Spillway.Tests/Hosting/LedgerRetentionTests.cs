using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Configuration;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Hosting;

/// <summary>The ledger's retention on a live gateway and its clock: pruned at start and then every hour.</summary>
public sealed class LedgerRetentionTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ExecuteAsync_EntriesOlderThanTheRetention_AreDeletedAtTheNextHourlyPrune()
    {
        var time = new FakeTimeProvider(Start);
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("openai")],
            (_, config) => config with { Ledger = new LedgerConfig(RetentionDays: 30) },
            time);
        await ServeAsync(gateway, 2);
        time.Advance(TimeSpan.FromDays(10));
        await ServeAsync(gateway, 1);
        Assert.Equal(3, (await gateway.LedgerAsync(10)).GetArrayLength());

        // Now 31 days after the first two, 21 after the third; each look moves on one hour, so the hourly prune comes.
        time.Advance(TimeSpan.FromDays(21));
        var left = await LedgerWhenAsync(gateway, entries => entries.GetArrayLength() < 3, () => time.Advance(TimeSpan.FromHours(1)));

        var kept = Assert.Single(left.EnumerateArray());
        Assert.Equal(Start.AddDays(10), kept.GetProperty("time").GetDateTimeOffset());
    }

    private static async Task ServeAsync(TestGateway gateway, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var served = await gateway.ChatAsync("chain");
            served.EnsureSuccessStatusCode();
        }
    }

    private static async Task<JsonElement> LedgerWhenAsync(TestGateway gateway, Func<JsonElement, bool> done, Action step)
    {
        for (var tries = 0; ; tries++)
        {
            step();
            var entries = await gateway.LedgerAsync(10);
            if (done(entries))
            {
                return entries;
            }

            Assert.True(tries < 400, "the ledger was not pruned: " + entries);
            await Task.Delay(25);
        }
    }
}
