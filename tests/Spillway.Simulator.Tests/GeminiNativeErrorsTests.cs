using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Spillway.Simulator.Tests;

public sealed class GeminiNativeErrorsTests
{
    private static readonly HttpClient Client = new();

    public static TheoryData<SimulatedFaultKind, int, string> Faults => new()
    {
        { SimulatedFaultKind.RateLimited, 429, "RESOURCE_EXHAUSTED" },
        { SimulatedFaultKind.QuotaExhausted, 429, "RESOURCE_EXHAUSTED" },
        { SimulatedFaultKind.Overloaded, 503, "UNAVAILABLE" },
        { SimulatedFaultKind.ServerError, 500, "INTERNAL" },
        { SimulatedFaultKind.Unauthorized, 400, "INVALID_ARGUMENT" },
        { SimulatedFaultKind.ContextLengthExceeded, 400, "INVALID_ARGUMENT" },
        { SimulatedFaultKind.ModelNotFound, 404, "NOT_FOUND" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Fault_Each_IsAGoogleStatusObjectNotAnArray(SimulatedFaultKind kind, int status, string canonical)
    {
        var (response, json) = await CallWithFaultAsync(Fault(kind));
        using (response)
        {
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal("spillway-simulator", SimulatorCalls.Header(response, "x-simulator"));
            Assert.IsType<JsonObject>(json);
            Assert.Equal(status, (int)json["error"]!["code"]!);
            Assert.Equal(canonical, (string?)json["error"]!["status"]);
            Assert.False(string.IsNullOrEmpty((string?)json["error"]!["message"]));
        }
    }

    [Theory]
    [InlineData(SimulatedFaultKind.RateLimited, "GenerateRequestsPerMinutePerProjectPerModel-FreeTier")]
    [InlineData(SimulatedFaultKind.QuotaExhausted, "GenerateRequestsPerDayPerProjectPerModel-FreeTier")]
    public async Task Fault_Quota_CarriesQuotaFailureAndRetryInfoLikeTheRecording(SimulatedFaultKind kind, string quotaId)
    {
        var (response, json) = await CallWithFaultAsync(Fault(kind));
        using (response)
        {
            var recorded = FixtureSamples.Sample("gemini-429-resource-exhausted-samples.json", "free tier, per-MINUTE input-token quota")["body"]!;
            var details = json["error"]!["details"]!.AsArray();

            Assert.Empty(SimulatorCalls.MissingMembers(recorded, json));
            Assert.StartsWith((string)recorded["error"]!["message"]!, (string)json["error"]!["message"]!, StringComparison.Ordinal);
            var violation = details.Single(detail => (string?)detail!["@type"] == "type.googleapis.com/google.rpc.QuotaFailure")!["violations"]![0]!;
            Assert.Equal(quotaId, (string?)violation["quotaId"]);
            Assert.Equal("gemini-sim", (string?)violation["quotaDimensions"]!["model"]);
            var retryDelay = (string)details.Single(detail => (string?)detail!["@type"] == "type.googleapis.com/google.rpc.RetryInfo")!["retryDelay"]!;
            Assert.Matches("^[0-9]+s$", retryDelay);
            if (kind == SimulatedFaultKind.RateLimited)
            {
                Assert.Equal("26s", retryDelay);
            }
        }
    }

    [Fact]
    public async Task Fault_Unauthorized_SaysApiKeyInvalid()
    {
        var (response, json) = await CallWithFaultAsync(SimulatedFault.Unauthorized());
        using (response)
        {
            Assert.Equal("API_KEY_INVALID", (string?)json["error"]!["details"]![0]!["reason"]);
        }
    }

    [Fact]
    public async Task Fault_FailMidStreamErrorChunk_SendsAStatusChunkAfterTheText()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);
        simulator["gem"].Enqueue(SimulatedFault.FailMidStream(1, MidStreamFailure.ErrorChunk));

        using var response = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), GeminiCalls.Body(), method: "streamGenerateContent", sse: true);
        var chunks = (await SimulatorCalls.SseLinesAsync(response)).Select(line => JsonNode.Parse(line)!).ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, chunks.Count);
        Assert.NotNull(chunks[0]["candidates"]);
        Assert.Equal("UNAVAILABLE", (string?)chunks[1]["error"]!["status"]);
        Assert.Equal(503, (int)chunks[1]["error"]!["code"]!);
    }

    [Fact]
    public async Task Fault_MalformedEvent_SendsOneUnparsableChunkAmongGoodOnes()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);
        simulator["gem"].Enqueue(SimulatedFault.MalformedEvent());

        using var response = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), GeminiCalls.Body(), method: "streamGenerateContent", sse: true);
        var lines = await SimulatorCalls.SseLinesAsync(response);

        Assert.Single(lines, line => !SimulatorCalls.IsJson(line));
        Assert.Contains("STOP", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_PerDayQuotaUsedUp_AnswersPerDayQuotaIdWithAShortRetryDelayUntilUtcMidnight()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 4, 23, 0, 30, TimeSpan.Zero));
        await using var simulator = await ProviderSimulator.StartAsync(
            [new SimulatedProvider("gem", SimulatorStyle.GeminiNative) { RequestsPerDay = 2 }], time);
        var root = simulator.RootUrlOf("gem");
        for (var i = 0; i < 2; i++)
        {
            using var admitted = await GeminiCalls.PostAsync(Client, root, GeminiCalls.Body());
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        }

        using var refused = await GeminiCalls.PostAsync(Client, root, GeminiCalls.Body());
        var json = await SimulatorCalls.JsonAsync(refused);
        time.Advance(TimeSpan.FromHours(1));
        using var nextDay = await GeminiCalls.PostAsync(Client, root, GeminiCalls.Body());

        Assert.Equal(429, (int)refused.StatusCode);
        var details = json["error"]!["details"]!.AsArray();
        var violation = details.Single(detail => (string?)detail!["@type"] == "type.googleapis.com/google.rpc.QuotaFailure")!["violations"]![0]!;
        Assert.Equal("GenerateRequestsPerDayPerProjectPerModel-FreeTier", (string?)violation["quotaId"]);
        Assert.Equal("2", (string?)violation["quotaValue"]);
        Assert.Equal("30s", (string?)details.Single(detail => (string?)detail!["@type"] == "type.googleapis.com/google.rpc.RetryInfo")!["retryDelay"]);
        Assert.Equal(HttpStatusCode.OK, nextDay.StatusCode);
    }

    [Fact]
    public async Task Post_PerMinuteQuotaUsedUp_AnswersPerMinuteQuotaIdWithTheWait()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 4, 12, 0, 0, TimeSpan.Zero));
        await using var simulator = await ProviderSimulator.StartAsync(
            [new SimulatedProvider("gem", SimulatorStyle.GeminiNative) { RequestsPerMinute = 1 }], time);
        using var first = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), GeminiCalls.Body());
        time.Advance(TimeSpan.FromSeconds(15));

        using var refused = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), GeminiCalls.Body());
        var details = (await SimulatorCalls.JsonAsync(refused))["error"]!["details"]!.AsArray();

        Assert.Equal(429, (int)refused.StatusCode);
        Assert.Equal("GenerateRequestsPerMinutePerProjectPerModel-FreeTier", (string?)details[0]!["violations"]![0]!["quotaId"]);
        Assert.Equal("45s", (string?)details.Single(detail => (string?)detail!["@type"] == "type.googleapis.com/google.rpc.RetryInfo")!["retryDelay"]);
    }

    private static async Task<(HttpResponseMessage Response, JsonNode Json)> CallWithFaultAsync(SimulatedFault fault)
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);
        simulator["gem"].Enqueue(fault);
        var response = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), GeminiCalls.Body());
        var json = await SimulatorCalls.JsonAsync(response);
        Assert.Equal(fault.Kind, simulator["gem"].Calls.Single().Fault);
        return (response, json);
    }

    private static SimulatedFault Fault(SimulatedFaultKind kind) => kind switch
    {
        SimulatedFaultKind.RateLimited => SimulatedFault.RateLimited(TimeSpan.FromSeconds(26)),
        SimulatedFaultKind.QuotaExhausted => SimulatedFault.QuotaExhausted(),
        SimulatedFaultKind.Overloaded => SimulatedFault.Overloaded(),
        SimulatedFaultKind.Unauthorized => SimulatedFault.Unauthorized(),
        SimulatedFaultKind.ContextLengthExceeded => SimulatedFault.ContextLengthExceeded(),
        SimulatedFaultKind.ModelNotFound => SimulatedFault.ModelNotFound(),
        _ => SimulatedFault.ServerError(),
    };
}
