using static Spillway.Tests.Endpoints.OpenAIEndpointsFallbackTests;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Engine;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Routing;

/// <summary>
/// A key its provider rejects (401/403) is its own state, <c>key_rejected</c>: never reported as a rate limit,
/// re-checked with backoff, and reset by hand through the admin API. On a fake clock.
/// </summary>
public sealed class KeyRejectionTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RejectedKey_EveryLaterRequest_Is502KeyRejectedNamingTheKeyNever429()
    {
        var time = new FakeTimeProvider(Start);
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")], time: time);
        gateway["openai"].Enqueue(SimulatedFault.Unauthorized());

        using var first = await gateway.ChatAsync("chain");
        using var second = await gateway.ChatAsync("chain");

        Assert.Equal(HttpStatusCode.BadGateway, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, second.StatusCode);
        Assert.Null(second.Headers.RetryAfter);
        var error = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("key_rejected", error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("rejected key 'openai-key'", message, StringComparison.Ordinal);
        Assert.Contains("Incorrect API key provided", message, StringComparison.Ordinal);
        Assert.Contains("spillway keys reset", message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestGateway.SecretOf("openai"), message, StringComparison.Ordinal);
        Assert.Equal(1, gateway["openai"].CallCount);
        var ledger = await gateway.LedgerAsync(2);
        Assert.Equal(["skipped_key_rejected"], Outcomes(ledger[0]));
        Assert.Equal(["auth_failed"], Outcomes(ledger[1]));
    }

    [Fact]
    public async Task RejectedKey_OnAnthropicRoute_IsAnAnthropicApiErrorNotARateLimit()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")], time: new FakeTimeProvider(Start));
        gateway["openai"].Enqueue(SimulatedFault.Unauthorized());
        using (await gateway.MessagesAsync("chain"))
        {
        }

        using var response = await gateway.MessagesAsync("chain");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.NotEqual("rate_limit_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("'openai-key'", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectedKey_IsRecheckedAfterFiveMinutesThenBacksOff()
    {
        var time = new FakeTimeProvider(Start);
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai"), new SimulatedProvider("backup")], time: time);
        gateway["openai"].Enqueue(SimulatedFault.Unauthorized());
        gateway["openai"].Enqueue(SimulatedFault.Unauthorized());

        await CallAsync(gateway);

        time.Advance(TimeSpan.FromMinutes(4));
        await CallAsync(gateway);

        Assert.Equal(1, gateway["openai"].CallCount);
        time.Advance(TimeSpan.FromMinutes(1));
        await CallAsync(gateway);

        // The re-check at five minutes was rejected again: the next one waits fifteen.
        Assert.Equal(2, gateway["openai"].CallCount);
        time.Advance(TimeSpan.FromMinutes(14));
        await CallAsync(gateway);

        Assert.Equal(2, gateway["openai"].CallCount);
        time.Advance(TimeSpan.FromMinutes(1));
        using var fixedKey = await gateway.ChatAsync("chain");

        Assert.Equal("openai/gpt-4o-mini", Header(fixedKey, SpillwayHeaders.Route));
        Assert.Equal(3, gateway["openai"].CallCount);
    }

    [Fact]
    public async Task ServedCall_ForgetsRejections_SoTheNextRejectionWaitsFiveMinutesAgain()
    {
        var time = new FakeTimeProvider(Start);
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai"), new SimulatedProvider("backup")], time: time);
        gateway["openai"].Enqueue(SimulatedFault.Unauthorized());
        await CallAsync(gateway);

        time.Advance(TimeSpan.FromMinutes(5));
        await CallAsync(gateway);

        gateway["openai"].Enqueue(SimulatedFault.Unauthorized());
        await CallAsync(gateway);

        time.Advance(TimeSpan.FromMinutes(5));
        using var response = await gateway.ChatAsync("chain");

        Assert.Equal("openai/gpt-4o-mini", Header(response, SpillwayHeaders.Route));
        Assert.Equal(4, gateway["openai"].CallCount);
    }

    [Fact]
    public async Task RejectedAndRateLimitedKeys_Are429WithTheRateLimitsRetryAfter()
    {
        var time = new FakeTimeProvider(Start);
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai"), new SimulatedProvider("backup")], time: time);
        gateway["openai"].Enqueue(SimulatedFault.Unauthorized());
        gateway["backup"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(40)));

        using var response = await gateway.ChatAsync("chain");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(40), response.Headers.RetryAfter?.Delta);
        Assert.Contains("openai-key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminKeys_ShowTheRejectedStateAndTheProvidersWords()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai"), new SimulatedProvider("backup")], time: new FakeTimeProvider(Start));
        gateway["openai"].Enqueue(SimulatedFault.Unauthorized());
        await CallAsync(gateway);

        var keys = JsonDocument.Parse(await gateway.Http.GetStringAsync("/admin/keys")).RootElement;

        var rejected = keys.EnumerateArray().Single(k => k.GetProperty("id").GetString() == "openai-key");
        Assert.Equal("key_rejected", rejected.GetProperty("state").GetString());
        Assert.Equal(Start.AddMinutes(5), rejected.GetProperty("cooldown_until").GetDateTimeOffset());
        Assert.StartsWith("key_rejected: openai: authentication failed (401) - Incorrect API key", rejected.GetProperty("cooldown_reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("ready", keys.EnumerateArray().Single(k => k.GetProperty("id").GetString() == "backup-key").GetProperty("state").GetString());
    }

    [Fact]
    public async Task KeyReset_EndsTheRejection_TheNextRequestCallsTheKey()
    {
        var time = new FakeTimeProvider(Start);
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai"), new SimulatedProvider("backup")], time: time);
        gateway["openai"].Enqueue(SimulatedFault.Unauthorized());
        await CallAsync(gateway);

        using var reset = await gateway.Http.PostAsync("/admin/keys/openai-key/reset", null);
        using var response = await gateway.ChatAsync("chain");

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var answer = JsonDocument.Parse(await reset.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, answer.GetProperty("cooldowns_ended").GetInt32());
        Assert.Equal("openai/gpt-4o-mini", Header(response, SpillwayHeaders.Route));
        Assert.Equal(2, gateway["openai"].CallCount);
    }

    [Fact]
    public async Task KeyReset_UnknownKey_Is404InOpenAIShape()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);

        using var reset = await gateway.Http.PostAsync("/admin/keys/nope/reset", null);

        Assert.Equal(HttpStatusCode.NotFound, reset.StatusCode);
        var error = JsonDocument.Parse(await reset.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Contains("'nope'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LongCooldown_RetryAfterIsAtMostOneDay()
    {
        var time = new FakeTimeProvider(Start);
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")], time: time);
        gateway["openai"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromDays(30)));
        await CallAsync(gateway);

        using var response = await gateway.ChatAsync("chain");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromDays(1), response.Headers.RetryAfter?.Delta);
    }

    /// <summary>One request on the chain whose answer the test does not read.</summary>
    private static async Task CallAsync(TestGateway gateway)
    {
        using var response = await gateway.ChatAsync("chain");
    }
}
