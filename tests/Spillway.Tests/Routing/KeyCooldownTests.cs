using static Spillway.Tests.Endpoints.OpenAIEndpointsFallbackTests;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Engine;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Routing;

/// <summary>A tapped-out key is skipped until its stated reset and called again after it, on a fake clock.</summary>
public sealed class KeyCooldownTests
{
    [Fact]
    public async Task RateLimitedKey_IsSkippedUntilRetryAfterThenCalledAgain()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("openai"), new SimulatedProvider("backup")],
            time: time);
        gateway["openai"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(30)));

        using (var first = await gateway.ChatAsync("chain"))
        {
            Assert.Equal("backup/gpt-4o-mini", Header(first, SpillwayHeaders.Route));
        }

        time.Advance(TimeSpan.FromSeconds(29));
        using (var during = await gateway.ChatAsync("chain"))
        {
            Assert.Equal("backup/gpt-4o-mini", Header(during, SpillwayHeaders.Route));
        }

        Assert.Equal(1, gateway["openai"].CallCount);
        time.Advance(TimeSpan.FromSeconds(2));
        using var after = await gateway.ChatAsync("chain");

        Assert.Equal("openai/gpt-4o-mini", Header(after, SpillwayHeaders.Route));
        Assert.Equal(2, gateway["openai"].CallCount);
    }

    [Fact]
    public async Task ShortRetryAfter_WithNoOtherStep_IsWaitedOutOnTheSameKey()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);
        gateway["openai"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(1)));

        using var response = await gateway.ChatAsync("chain");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2", Header(response, SpillwayHeaders.Attempts));
        Assert.Equal(2, gateway["openai"].CallCount);
    }

    [Fact]
    public async Task FreeOnlyHeader_NeverSpillsToAPaidKey()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("groq", SimulatorStyle.Groq), new SimulatedProvider("openai")]);
        gateway["groq"].Enqueue(SimulatedFault.QuotaExhausted());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = TestGateway.ChatBody("chain") };
        request.Headers.Add(SpillwayHeaders.MaxTier, "free");

        using var response = await gateway.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(0, gateway["openai"].CallCount);
        var ledger = await gateway.LedgerAsync(1);
        Assert.Equal(["skipped_budget", "quota_exhausted"], Outcomes(ledger[0]));
    }

    [Fact]
    public async Task AuthFailedKey_IsDisabledAndShownAsSuch()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("groq", SimulatorStyle.Groq), new SimulatedProvider("openai")]);
        gateway["groq"].Enqueue(SimulatedFault.Unauthorized());
        using (await gateway.ChatAsync("chain"))
        {
        }

        using var second = await gateway.ChatAsync("chain");

        Assert.Equal(1, gateway["groq"].CallCount);
        Assert.Equal("1", Header(second, SpillwayHeaders.Attempts));
        var keys = await gateway.Http.GetStringAsync("/admin/keys");
        Assert.Contains("\"state\":\"key_rejected\"", keys, StringComparison.Ordinal);
    }
}
