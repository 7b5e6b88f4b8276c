using System.Net;

namespace Spillway.Simulator.Tests;

public sealed class AnthropicCountTokensEndpointTests
{
    private const string CountPath = "v1/messages/count_tokens";
    private const string CountBody = "{\"model\":\"claude-sim\",\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there, simulator\"}]}";
    private static readonly HttpClient Client = new();

    [Fact]
    public async Task Post_CountTokens_AnswersTheInputTokensOfTheSameMessagesCall()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("ant", SimulatorStyle.Anthropic)]);
        var root = simulator.RootUrlOf("ant");

        using var count = await AnthropicCalls.PostAsync(Client, root, CountBody, path: CountPath);
        using var message = await AnthropicCalls.PostAsync(Client, root, AnthropicCalls.Body());
        var counted = await SimulatorCalls.JsonAsync(count);
        var answered = await SimulatorCalls.JsonAsync(message);

        Assert.Equal(HttpStatusCode.OK, count.StatusCode);
        Assert.Equal(["input_tokens"], counted.AsObject().Select(member => member.Key));
        Assert.True((int)counted["input_tokens"]! > 0);
        Assert.Equal((int)answered["usage"]!["input_tokens"]!, (int)counted["input_tokens"]!);
        Assert.StartsWith("req_", SimulatorCalls.Header(count, "request-id"), StringComparison.Ordinal);
        Assert.Equal("/ant/v1/messages/count_tokens", simulator["ant"].Calls[0].Path);
    }

    [Fact]
    public async Task Post_CountTokensWithoutVersion_AnthropicsInvalidRequest()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("ant", SimulatorStyle.Anthropic)]);

        using var response = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("ant"), CountBody, version: null, path: CountPath);
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", (string?)json["error"]!["type"]);
    }

    [Fact]
    public async Task Post_CountTokensWithoutMessages_AnthropicsInvalidRequest()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("ant", SimulatorStyle.Anthropic)]);

        using var response = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("ant"), "{\"model\":\"claude-sim\"}", path: CountPath);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Post_CountTokens_TakesScriptedFaultsButUsesNoQuota()
    {
        var provider = new SimulatedProvider("ant", SimulatorStyle.Anthropic) { RequestsPerMinute = 1 };
        await using var simulator = await ProviderSimulator.StartAsync([provider]);
        var root = simulator.RootUrlOf("ant");
        provider.Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(20)));

        using var limited = await AnthropicCalls.PostAsync(Client, root, CountBody, path: CountPath);
        using var second = await AnthropicCalls.PostAsync(Client, root, CountBody, path: CountPath);
        using var third = await AnthropicCalls.PostAsync(Client, root, CountBody, path: CountPath);
        using var message = await AnthropicCalls.PostAsync(Client, root, AnthropicCalls.Body());
        var error = await SimulatorCalls.JsonAsync(limited);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("rate_limit_error", (string?)error["error"]!["type"]);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (second.StatusCode, third.StatusCode));
        Assert.Equal(HttpStatusCode.OK, message.StatusCode);
        Assert.Equal(4, provider.CallCount);
    }
}
