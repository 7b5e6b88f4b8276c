namespace Spillway.Simulator.Tests;

public sealed class MistralErrorsTests
{
    [Fact]
    public async Task RateLimited_IsTheRecordedBareGatewayBody()
    {
        var (response, body) = await ErrorRepliesTests.CallWithFaultAsync(SimulatorStyle.Mistral, SimulatedFault.RateLimited(TimeSpan.FromSeconds(1)));
        using (response)
        {
            var recorded = FixtureSamples.Sample("mistral-429-samples.json", "429 bare gateway shape")["body"];

            Assert.Equal(429, (int)response.StatusCode);
            Assert.True(FixtureSamples.DeepEquals(recorded, body), body.ToJsonString());
            Assert.Equal("1", SimulatorCalls.Header(response, "retry-after"));
        }
    }

    [Fact]
    public async Task QuotaExhausted_IsTheRecordedTypedBodyWithTheMonthlyBudgetAtZero()
    {
        var (response, body) = await ErrorRepliesTests.CallWithFaultAsync(SimulatorStyle.Mistral, SimulatedFault.QuotaExhausted());
        using (response)
        {
            var recorded = FixtureSamples.Sample("mistral-429-samples.json", "429 typed error object")["body"];

            Assert.Equal(429, (int)response.StatusCode);
            Assert.True(FixtureSamples.DeepEquals(recorded, body), body.ToJsonString());
            Assert.Equal("0", SimulatorCalls.Header(response, "x-ratelimit-remaining-tokens-month"));
        }
    }

    [Fact]
    public async Task Post_MissingMessages_AnswersFastApiStyle422()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("mistral", SimulatorStyle.Mistral)]);
        using var client = new HttpClient();

        using var response = await SimulatorCalls.PostAsync(client, simulator.BaseUrlOf("mistral"), "{\"model\":\"mistral-small-latest\"}");
        var detail = (await SimulatorCalls.JsonAsync(response))["detail"]![0]!;

        Assert.Equal(422, (int)response.StatusCode);
        Assert.Equal("missing", (string?)detail["type"]);
        Assert.Equal("messages", (string?)detail["loc"]![1]);
    }
}
