using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace Spillway.Simulator.Tests;

public sealed class OpenRouterErrorsTests
{
    [Fact]
    public async Task QuotaExhausted_IsTheRecordedFreeModelsPerDayBodyResettingAtUtcMidnight()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 4, 18, 30, 0, TimeSpan.Zero));
        var (response, body) = await ErrorRepliesTests.CallWithFaultAsync(
            SimulatorStyle.OpenRouter,
            SimulatedFault.QuotaExhausted(),
            time: time);
        using (response)
        {
            var recorded = FixtureSamples.Sample("openrouter-error-samples.json", "429 free-model DAILY cap")["body_fragment"]!["error"]!;
            var error = body["error"]!;
            var midnight = new DateTimeOffset(2026, 5, 5, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

            Assert.Equal(429, (int)response.StatusCode);
            Assert.Equal((string?)recorded["message"], (string?)error["message"]);
            Assert.Equal(429, (int)error["code"]!);
            Assert.Empty(SimulatorCalls.MissingMembers(recorded, error));
            Assert.Equal("50", (string?)error["metadata"]!["headers"]!["X-RateLimit-Limit"]);
            Assert.Equal("0", (string?)error["metadata"]!["headers"]!["X-RateLimit-Remaining"]);
            Assert.Equal(midnight, (string?)error["metadata"]!["headers"]!["X-RateLimit-Reset"]);
            Assert.Equal(midnight, SimulatorCalls.Header(response, "X-RateLimit-Reset"));
            Assert.Null(SimulatorCalls.Header(response, "retry-after"));
        }
    }

    [Fact]
    public async Task RateLimited_IsTheFreeModelsPerMinuteCapWithResetAfterTheWait()
    {
        var now = new DateTimeOffset(2026, 5, 4, 18, 30, 0, TimeSpan.Zero);
        var (response, body) = await ErrorRepliesTests.CallWithFaultAsync(
            SimulatorStyle.OpenRouter,
            SimulatedFault.RateLimited(TimeSpan.FromSeconds(30)),
            time: new FakeTimeProvider(now));
        using (response)
        {
            Assert.StartsWith("Rate limit exceeded: free-models-per-min", (string)body["error"]!["message"]!, StringComparison.Ordinal);
            Assert.Equal("20", SimulatorCalls.Header(response, "X-RateLimit-Limit"));
            Assert.Equal(
                now.AddSeconds(30).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                SimulatorCalls.Header(response, "X-RateLimit-Reset"));
        }
    }

    [Fact]
    public async Task UpstreamRateLimited_IsTheDocumentedProviderCodeBodyWithoutCapHeaders()
    {
        var (response, body) = await ErrorRepliesTests.CallWithFaultAsync(SimulatorStyle.OpenRouter, SimulatedFault.UpstreamRateLimited());
        using (response)
        {
            var recorded = FixtureSamples.Sample("openrouter-error-samples.json", "429 from upstream provider, documented shape")["body"]!;

            Assert.Equal(429, (int)response.StatusCode);
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(recorded, body));
            Assert.Null(SimulatorCalls.Header(response, "X-RateLimit-Limit"));
        }
    }

    [Fact]
    public async Task Post_WithoutKey_IsTheRealNoCredentialsAnswer()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openrouter", SimulatorStyle.OpenRouter)]);
        using var client = new HttpClient();

        using var response = await SimulatorCalls.PostAsync(client, simulator.BaseUrlOf("openrouter"), SimulatorCalls.Body(), key: null);
        var body = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("{\"error\":{\"message\":\"No auth credentials found\",\"code\":401}}", body.ToJsonString());
    }
}
