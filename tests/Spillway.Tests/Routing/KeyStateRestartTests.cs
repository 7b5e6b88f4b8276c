using static Spillway.Tests.Endpoints.OpenAIEndpointsFallbackTests;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Engine;
using Spillway.Core.Providers;
using Spillway.Simulator;
using Spillway.TestSupport;
using Spillway.Tests.Support;

namespace Spillway.Tests.Routing;

/// <summary>Cooldowns and daily counters survive a restart on the same data folder. Provider "a" plays Gemini,
/// which states no rate-limit headers, so its known requests per day is the configured 1.</summary>
public sealed class KeyStateRestartTests : IDisposable
{
    private readonly TempDirectory _data = new(create: false);

    [Fact]
    public async Task SpentDailyQuota_AfterARestart_KeyIsSkippedWithoutACall()
    {
        var time = new FakeTimeProvider(KeyQuotaTests.Start);
        await using (var before = await StartAsync(time))
        {
            using var served = await before.ChatAsync("chain");
            Assert.Equal("a/gemini-2.5-flash", Header(served, SpillwayHeaders.Route));
        }

        time.Advance(TimeSpan.FromMinutes(5));
        await using var after = await StartAsync(time);
        using var response = await after.ChatAsync("chain");

        Assert.Equal("b/gpt-4o-mini", Header(response, SpillwayHeaders.Route));
        Assert.Equal(0, after["a"].CallCount);
        var newest = (await after.LedgerAsync(1))[0];
        Assert.Equal(["skipped_quota", "ok"], Outcomes(newest));
        Assert.StartsWith("rpd 0 of 1 left", newest.GetProperty("attempts")[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpentDailyQuota_AfterTheDayResets_KeyIsCalledAgain()
    {
        var time = new FakeTimeProvider(KeyQuotaTests.Start);
        await using (var before = await StartAsync(time))
        {
            using var served = await before.ChatAsync("chain");
        }

        time.Advance(TimeSpan.FromDays(1));
        await using var after = await StartAsync(time);
        using var response = await after.ChatAsync("chain");

        Assert.Equal("a/gemini-2.5-flash", Header(response, SpillwayHeaders.Route));
    }

    [Fact]
    public async Task CooledKey_AfterARestart_IsStillSkipped()
    {
        var time = new FakeTimeProvider(KeyQuotaTests.Start);
        await using (var before = await StartAsync(time))
        {
            before["a"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromMinutes(10)));
            using var fellBack = await before.ChatAsync("chain");
            Assert.Equal("b/gpt-4o-mini", Header(fellBack, SpillwayHeaders.Route));
        }

        await using var after = await StartAsync(time);
        using var response = await after.ChatAsync("chain");

        Assert.Equal("b/gpt-4o-mini", Header(response, SpillwayHeaders.Route));
        Assert.Equal(0, after["a"].CallCount);
        Assert.Equal(["skipped_cooldown", "ok"], Outcomes((await after.LedgerAsync(1))[0]));
    }

    [Fact]
    public async Task RejectedKey_AfterARestart_IsCheckedAgainAtOnce()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));
        await using (var before = await StartAsync(time))
        {
            before["a"].Enqueue(SimulatedFault.Unauthorized());
            using var fellBack = await before.ChatAsync("chain");
            using var skipped = await before.ChatAsync("chain");
            Assert.Equal(1, before["a"].CallCount);
        }

        await using var after = await StartAsync(time);
        using var response = await after.ChatAsync("chain");

        Assert.Equal("a/gemini-2.5-flash", Header(response, SpillwayHeaders.Route));
    }

    [Fact]
    public async Task RateLimitedKey_AfterARestartWithANewSecret_IsCalledAgain()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));
        await using (var before = await StartAsync(time))
        {
            before["a"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromMinutes(10)));
            using var fellBack = await before.ChatAsync("chain");
        }

        await using var replaced = await StartAsync(time, new Secret("sk-a-new-secret-after-rotation-9876"));
        using var response = await replaced.ChatAsync("chain");

        Assert.Equal("a/gemini-2.5-flash", Header(response, SpillwayHeaders.Route));
    }

    public void Dispose()
    {
        _data.Dispose();
    }

    private Task<TestGateway> StartAsync(TimeProvider time, Secret? secret = null) => TestGateway.StartAsync(
        [new SimulatedProvider("a", SimulatorStyle.GeminiOpenAICompat), new SimulatedProvider("b")],
        (_, config) =>
        {
            config = KeyQuotaTests.WithLimits(config, "a", new KeyLimits(Rpd: 1));
            return secret is null ? config : config with
            {
                Providers = [.. config.Providers.Select(p => p.Id == "a" ? p with { Keys = [p.Keys[0] with { Value = secret }] } : p)],
            };
        },
        time,
        dataDirectory: _data.Path);
}
