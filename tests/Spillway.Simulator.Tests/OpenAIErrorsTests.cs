using System.Text.RegularExpressions;

namespace Spillway.Simulator.Tests;

public sealed class OpenAIErrorsTests
{
    [Fact]
    public async Task QuotaExhausted_IsTheRecordedInsufficientQuotaBodyWithoutRetryAfter()
    {
        var (response, body) = await ErrorRepliesTests.CallWithFaultAsync(SimulatorStyle.OpenAI, SimulatedFault.QuotaExhausted());
        using (response)
        {
            var recorded = FixtureSamples.Sample("openai-429-samples.json", "429 insufficient_quota (out of credit")["body"];

            Assert.Equal(429, (int)response.StatusCode);
            Assert.True(FixtureSamples.DeepEquals(recorded, body), body.ToJsonString());
            Assert.Null(SimulatorCalls.Header(response, "retry-after"));
        }
    }

    [Fact]
    public async Task RateLimited_WithRetryAfter_IsTheRecordedPerMinuteShape()
    {
        var (response, body) = await ErrorRepliesTests.CallWithFaultAsync(
            SimulatorStyle.OpenAI,
            SimulatedFault.RateLimited(TimeSpan.FromSeconds(7)),
            provider => provider.RequestsPerMinute = 3);
        using (response)
        {
            var error = body["error"]!;
            var recordedText = (string)FixtureSamples.Sample("openai-429-samples.json", "429 requests-per-minute")["message_text"]!;

            Assert.Equal(429, (int)response.StatusCode);
            Assert.Equal(["message", "type", "param", "code"], error.AsObject().Select(member => member.Key));
            Assert.Equal("requests", (string?)error["type"]);
            Assert.Equal("rate_limit_exceeded", (string?)error["code"]);
            Assert.Equal("7", SimulatorCalls.Header(response, "retry-after"));
            Assert.Equal("0", SimulatorCalls.Header(response, "x-ratelimit-remaining-requests"));

            // The recorded text, with organisation, model and wait replaced: the same sentence.
            var pattern = "^Rate limit reached for \\S+ in organization \\S+ on requests per min \\(RPM\\): Limit 3, Used 3, Requested 1\\. Please try again in [0-9.ms]+\\. Visit";
            Assert.Matches(pattern, recordedText);
            Assert.Matches(pattern, (string)error["message"]!);
            Assert.Contains("Please try again in 7s.", (string)error["message"]!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RateLimited_WithoutRetryAfter_AnnouncesTwentySeconds()
    {
        var (response, _) = await ErrorRepliesTests.CallWithFaultAsync(SimulatorStyle.OpenAI, SimulatedFault.RateLimited());
        using (response)
        {
            Assert.Equal("20", SimulatorCalls.Header(response, "retry-after"));
        }
    }

    [Fact]
    public void Validation_EveryKind_HasAMessage()
    {
        foreach (var kind in Enum.GetValues<ErrorKind>())
        {
            Assert.False(string.IsNullOrWhiteSpace(OpenAIErrors.Validation(kind).Message));
        }

        Assert.DoesNotMatch(new Regex("^We could not parse"), OpenAIErrors.Validation(ErrorKind.EmptyMessages).Message);
    }
}
