using System.Text.Json.Nodes;

namespace Spillway.Simulator.Tests;

public sealed class GeminiErrorsTests
{
    [Theory]
    [InlineData(SimulatedFaultKind.QuotaExhausted, "GenerateRequestsPerDayPerProjectPerModel-FreeTier")]
    [InlineData(SimulatedFaultKind.RateLimited, "GenerateRequestsPerMinutePerProjectPerModel-FreeTier")]
    public async Task Fault_Quota_IsAnArrayOfResourceExhaustedWithQuotaFailureAndRetryInfo(SimulatedFaultKind kind, string quotaId)
    {
        var fault = kind == SimulatedFaultKind.RateLimited ? SimulatedFault.RateLimited(TimeSpan.FromSeconds(26)) : SimulatedFault.QuotaExhausted();
        var (response, body) = await ErrorRepliesTests.CallWithFaultAsync(SimulatorStyle.GeminiOpenAICompat, fault);
        using (response)
        {
            var recorded = FixtureSamples.Sample("gemini-429-resource-exhausted-samples.json", "free tier, per-MINUTE input-token quota")["body"]!;
            var error = body.AsArray().Single()!["error"]!;
            var details = error["details"]!.AsArray();

            Assert.Equal(429, (int)response.StatusCode);
            Assert.Equal(429, (int)error["code"]!);
            Assert.Equal("RESOURCE_EXHAUSTED", (string?)error["status"]);
            Assert.StartsWith((string)recorded["error"]!["message"]!, (string)error["message"]!, StringComparison.Ordinal);
            Assert.Empty(SimulatorCalls.MissingMembers(recorded["error"], error));
            var quotaFailure = details.Single(detail => (string?)detail!["@type"] == "type.googleapis.com/google.rpc.QuotaFailure")!;
            Assert.Equal(quotaId, (string?)quotaFailure["violations"]![0]!["quotaId"]);
            Assert.Equal("sim-model", (string?)quotaFailure["violations"]![0]!["quotaDimensions"]!["model"]);
            var retryInfo = details.Single(detail => (string?)detail!["@type"] == "type.googleapis.com/google.rpc.RetryInfo")!;
            Assert.Matches("^[0-9]+s$", (string)retryInfo["retryDelay"]!);
            if (kind == SimulatedFaultKind.RateLimited)
            {
                Assert.Equal("26s", (string?)retryInfo["retryDelay"]);
            }
        }
    }

    [Fact]
    public async Task Fault_ServerError_IsAnArrayLikeTheRecordedCompatibleEndpointError()
    {
        var (response, body) = await ErrorRepliesTests.CallWithFaultAsync(SimulatorStyle.GeminiOpenAICompat, SimulatedFault.ServerError());
        using (response)
        {
            var recorded = FixtureSamples.Sample("gemini-429-resource-exhausted-samples.json", "Gemini OpenAI-COMPATIBLE endpoint")["body"]!;

            Assert.IsType<JsonArray>(recorded);
            Assert.Empty(SimulatorCalls.MissingMembers(recorded, body));
            Assert.Equal("INTERNAL", (string?)body[0]!["error"]!["status"]);
        }
    }
}
