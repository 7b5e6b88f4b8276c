using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace Spillway.Simulator.Tests;

public sealed class GroqErrorsTests
{
    [Fact]
    public async Task RateLimited_HasTheRecordedEnvelopeAndRetryAfter()
    {
        var (response, body) = await ErrorRepliesTests.CallWithFaultAsync(SimulatorStyle.Groq, SimulatedFault.RateLimited(TimeSpan.FromSeconds(2)));
        using (response)
        {
            var recorded = FixtureSamples.Sample("groq-429-samples.json", "429 TPM, service tier on_demand")["body"]!["error"]!;
            var error = body["error"]!;

            Assert.Equal(429, (int)response.StatusCode);
            Assert.Equal(recorded.AsObject().Select(member => member.Key), error.AsObject().Select(member => member.Key));
            Assert.Equal((string?)recorded["code"], (string?)error["code"]);
            Assert.Equal("requests", (string?)error["type"]);
            Assert.Contains("service tier `on_demand` on requests per minute (RPM)", (string)error["message"]!, StringComparison.Ordinal);
            Assert.Equal("2", SimulatorCalls.Header(response, "retry-after"));
        }
    }

    [Fact]
    public async Task QuotaExhausted_ReportsRequestsPerDayUntilUtcMidnight()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 4, 23, 0, 0, TimeSpan.Zero));
        var (response, body) = await ErrorRepliesTests.CallWithFaultAsync(
            SimulatorStyle.Groq,
            SimulatedFault.QuotaExhausted(),
            provider => provider.RequestsPerDay = 1000,
            time);
        using (response)
        {
            var message = (string)body["error"]!["message"]!;
            var recordedDay = (string)FixtureSamples.Sample("groq-429-samples.json", "429 tokens per DAY")["message_text"]!;

            Assert.Contains("on requests per day (RPD): Limit 1000, Used 1000, Requested 1. Please try again in 1h0m0s.", message, StringComparison.Ordinal);
            Assert.EndsWith(recordedDay[recordedDay.IndexOf(". Need more tokens?", StringComparison.Ordinal)..], message, StringComparison.Ordinal);
            Assert.Equal(3600, int.Parse(SimulatorCalls.Header(response, "retry-after")!, CultureInfo.InvariantCulture));
            Assert.Equal("1000", SimulatorCalls.Header(response, "x-ratelimit-limit-requests"));
            Assert.Equal("0", SimulatorCalls.Header(response, "x-ratelimit-remaining-requests"));
        }
    }
}
