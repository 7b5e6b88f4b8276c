using static Spillway.Tests.Endpoints.OpenAIEndpointsFallbackTests;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Core.Providers;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Routing;

/// <summary>A key whose known quota cannot take a request is skipped before any call (skipped_quota).</summary>
public sealed class KeyQuotaTests
{
    internal static readonly DateTimeOffset Start = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task KnownRpm_ThirdRequestInTheMinute_GoesToTheNextStepWithoutACall()
    {
        var time = new FakeTimeProvider(Start);
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("a", SimulatorStyle.Groq) { RequestsPerMinute = 2 }, new SimulatedProvider("b")],
            (_, config) => WithLimits(config, "a", new KeyLimits(Rpm: 2)),
            time);

        for (var i = 0; i < 2; i++)
        {
            using var served = await gateway.ChatAsync("chain");
            Assert.Equal("a/llama-3.3-70b-versatile", Header(served, SpillwayHeaders.Route));
            time.Advance(TimeSpan.FromSeconds(1));
        }

        using var third = await gateway.ChatAsync("chain");

        Assert.Equal("b/gpt-4o-mini", Header(third, SpillwayHeaders.Route));
        Assert.Equal("1", Header(third, SpillwayHeaders.Attempts));
        Assert.Equal(2, gateway["a"].CallCount);
        var newest = (await gateway.LedgerAsync(1))[0];
        Assert.Equal(["skipped_quota", "ok"], Outcomes(newest));
        var detail = newest.GetProperty("attempts")[0].GetProperty("detail").GetString()!;
        Assert.StartsWith("rpm 0 of 2 left, needs 1; resets at 2026-11-27T10:01:00", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryStepOutOfQuota_429WithRetryAfterAtTheQuotaReset()
    {
        var time = new FakeTimeProvider(Start);
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("a", SimulatorStyle.Groq) { RequestsPerMinute = 1 }],
            (_, config) => WithLimits(config, "a", new KeyLimits(Rpm: 1)),
            time);
        using (var served = await gateway.ChatAsync("chain"))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, served.StatusCode);
        }

        time.Advance(TimeSpan.FromSeconds(15));
        using var refused = await gateway.ChatAsync("chain");

        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(45), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(1, gateway["a"].CallCount);
    }

    [Fact]
    public async Task RemainingFromHeaders_SpentKeyIsSkippedBeforeItAnswers429()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("a", SimulatorStyle.Groq) { RequestsPerDay = 2 }, new SimulatedProvider("b")]);

        for (var i = 0; i < 2; i++)
        {
            using var served = await gateway.ChatAsync("chain");
            Assert.Equal("a/llama-3.3-70b-versatile", Header(served, SpillwayHeaders.Route));
        }

        using var third = await gateway.ChatAsync("chain");

        Assert.Equal("b/gpt-4o-mini", Header(third, SpillwayHeaders.Route));
        Assert.Equal(2, gateway["a"].CallCount);
        var ledger = await gateway.LedgerAsync();
        Assert.Equal(["skipped_quota", "ok"], Outcomes(ledger[0]));
        Assert.StartsWith("rpd 0 of 2 left", ledger[0].GetProperty("attempts")[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.All(ledger.EnumerateArray(), entry => Assert.DoesNotContain(Outcomes(entry), o => o is "rate_limited" or "quota_exhausted"));
    }

    [Fact]
    public async Task AdminKeys_ShowsPerModelLimitsRemainingAndResets()
    {
        var time = new FakeTimeProvider(Start);
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("a", SimulatorStyle.Groq), new SimulatedProvider("b")],
            (_, config) => WithLimits(config, "a", new KeyLimits(Rpm: 5, Rpd: 100)),
            time);
        using (await gateway.ChatAsync("chain"))
        {
        }

        using var json = JsonDocument.Parse(await gateway.Http.GetStringAsync("/admin/keys"));

        var a = json.RootElement.EnumerateArray().Single(k => k.GetProperty("id").GetString() == "a-key");
        Assert.Equal(JsonValueKind.Null, a.GetProperty("cooldown_reason").ValueKind);
        Assert.Equal(5, a.GetProperty("limits").GetProperty("rpm").GetInt64());
        var model = a.GetProperty("models").EnumerateArray().Single();
        Assert.Equal("llama-3.3-70b-versatile", model.GetProperty("model").GetString());
        Assert.Equal(4, model.GetProperty("remaining").GetProperty("rpm").GetInt64());
        Assert.Equal(Start.AddMinutes(1), model.GetProperty("resets").GetProperty("rpm").GetDateTimeOffset());
        // Groq's headers state its requests per day (the simulator's nominal 14400): the provider's figure wins.
        Assert.Equal(14_400, model.GetProperty("limits").GetProperty("rpd").GetInt64());
        Assert.Equal(12_000, model.GetProperty("limits").GetProperty("tpm").GetInt64());
        var b = json.RootElement.EnumerateArray().Single(k => k.GetProperty("id").GetString() == "b-key");
        Assert.Equal(JsonValueKind.Null, b.GetProperty("remaining").GetProperty("rpd").ValueKind);
        Assert.Empty(b.GetProperty("models").EnumerateArray());
    }

    /// <summary>The config with known limits on a provider's test key.</summary>
    internal static SpillwayConfig WithLimits(SpillwayConfig config, string provider, KeyLimits limits) => config with
    {
        Providers = [.. config.Providers.Select(p => p.Id == provider ? p with { Keys = [p.Keys[0] with { Limits = limits }] } : p)],
    };
}
