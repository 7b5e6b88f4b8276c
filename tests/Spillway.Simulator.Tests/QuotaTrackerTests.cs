using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Spillway.Simulator.Tests;

public sealed class QuotaTrackerTests
{
    private static readonly HttpClient Client = new();
    private static readonly DateTimeOffset Evening = new(2026, 5, 4, 22, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryAdmit_PerDayLimitReached_RefusesUntilUtcMidnight()
    {
        var tracker = new QuotaTracker();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(tracker.TryAdmit("k", null, 3, 10, Evening.AddMinutes(i)).Admitted);
        }

        var refused = tracker.TryAdmit("k", null, 3, 10, Evening.AddMinutes(5));
        var nextDay = tracker.TryAdmit("k", null, 3, 10, new DateTimeOffset(2026, 5, 5, 0, 0, 1, TimeSpan.Zero));

        Assert.Equal(QuotaWindow.PerDay, refused.Exceeded);
        Assert.Equal(3, refused.Limit);
        Assert.Equal(TimeSpan.FromMinutes(115), refused.RetryAfter);
        Assert.True(nextDay.Admitted);
        Assert.Equal(1, nextDay.Snapshot.DayRequests);
    }

    [Fact]
    public void TryAdmit_PerMinuteLimitReached_RefusesUntilTheOldestRequestLeavesTheWindow()
    {
        var tracker = new QuotaTracker();
        Assert.True(tracker.TryAdmit("k", 2, null, 1, Evening).Admitted);
        Assert.True(tracker.TryAdmit("k", 2, null, 1, Evening.AddSeconds(20)).Admitted);

        var refused = tracker.TryAdmit("k", 2, null, 1, Evening.AddSeconds(45));
        var stillRefused = tracker.TryAdmit("k", 2, null, 1, Evening.AddSeconds(59));
        var admitted = tracker.TryAdmit("k", 2, null, 1, Evening.AddSeconds(60));

        Assert.Equal(QuotaWindow.PerMinute, refused.Exceeded);
        Assert.Equal(TimeSpan.FromSeconds(15), refused.RetryAfter);
        Assert.False(stillRefused.Admitted);
        Assert.True(admitted.Admitted);
    }

    [Fact]
    public void TryAdmit_DifferentKeys_AreCountedApart()
    {
        var tracker = new QuotaTracker();
        Assert.True(tracker.TryAdmit("a", null, 1, 1, Evening).Admitted);

        Assert.False(tracker.TryAdmit("a", null, 1, 1, Evening).Admitted);
        Assert.True(tracker.TryAdmit("b", null, 1, 1, Evening).Admitted);
    }

    [Fact]
    public void TryAdmit_RefusedRequest_IsNotCounted()
    {
        var tracker = new QuotaTracker();
        tracker.TryAdmit("k", 1, null, 5, Evening);
        tracker.TryAdmit("k", 1, null, 5, Evening.AddSeconds(1));

        var snapshot = tracker.Peek("k", Evening.AddSeconds(2));

        Assert.Equal(1, snapshot.MinuteRequests);
        Assert.Equal(5, snapshot.MinuteTokens);
        Assert.Equal(1, snapshot.DayRequests);
    }

    [Fact]
    public async Task Post_PerDayQuotaPerKey_RefusesThenResetsAfterUtcMidnight()
    {
        var time = new FakeTimeProvider(Evening);
        var provider = new SimulatedProvider("gemini", SimulatorStyle.GeminiOpenAICompat) { RequestsPerDay = 3 };
        await using var simulator = await ProviderSimulator.StartAsync([provider], time);
        var baseUrl = simulator.BaseUrlOf("gemini");

        for (var i = 0; i < 3; i++)
        {
            using var served = await SimulatorCalls.PostAsync(Client, baseUrl, SimulatorCalls.Body("gemini-2.5-flash"));
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        using var refused = await SimulatorCalls.PostAsync(Client, baseUrl, SimulatorCalls.Body("gemini-2.5-flash"));
        using var otherKey = await SimulatorCalls.PostAsync(Client, baseUrl, SimulatorCalls.Body("gemini-2.5-flash"), "another-key-9999");
        time.Advance(TimeSpan.FromHours(2));
        using var nextDay = await SimulatorCalls.PostAsync(Client, baseUrl, SimulatorCalls.Body("gemini-2.5-flash"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var violation = (await SimulatorCalls.JsonAsync(refused))[0]!["error"]!["details"]![0]!["violations"]![0]!;
        Assert.Equal("GenerateRequestsPerDayPerProjectPerModel-FreeTier", (string?)violation["quotaId"]);
        Assert.Equal("3", (string?)violation["quotaValue"]);
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, nextDay.StatusCode);
    }

    [Fact]
    public async Task Post_PerMinuteQuota_RefusesWithRetryAfterThenAdmitsWhenTheWindowMoves()
    {
        var time = new FakeTimeProvider(Evening);
        var provider = new SimulatedProvider("groq", SimulatorStyle.Groq) { RequestsPerMinute = 2 };
        await using var simulator = await ProviderSimulator.StartAsync([provider], time);
        var baseUrl = simulator.BaseUrlOf("groq");

        using (await SimulatorCalls.PostAsync(Client, baseUrl, SimulatorCalls.Body()))
        {
        }

        time.Advance(TimeSpan.FromSeconds(10));
        using (await SimulatorCalls.PostAsync(Client, baseUrl, SimulatorCalls.Body()))
        {
        }

        time.Advance(TimeSpan.FromSeconds(5));
        using var refused = await SimulatorCalls.PostAsync(Client, baseUrl, SimulatorCalls.Body());
        var error = (await SimulatorCalls.JsonAsync(refused))["error"]!;
        time.Advance(TimeSpan.FromSeconds(45));
        using var admitted = await SimulatorCalls.PostAsync(Client, baseUrl, SimulatorCalls.Body());

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("45", SimulatorCalls.Header(refused, "retry-after"));
        Assert.Contains("requests per minute (RPM): Limit 2, Used 2", (string)error["message"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
    }

    [Fact]
    public async Task Post_ScriptedFault_DoesNotSpendTheQuota()
    {
        var provider = new SimulatedProvider("openai") { RequestsPerDay = 1 };
        await using var simulator = await ProviderSimulator.StartAsync([provider]);
        provider.EnqueueMany(SimulatedFault.ServerError(), SimulatedFault.Overloaded());

        using var first = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body());
        using var second = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body());
        using var served = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body());
        using var refused = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body());

        Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var error = (await SimulatorCalls.JsonAsync(refused))["error"]!;
        Assert.Contains("requests per day (RPD)", (string)error["message"]!, StringComparison.Ordinal);
        Assert.Equal("rate_limit_exceeded", (string?)error["code"]);
    }
}
