using System.Net;

namespace Spillway.Simulator.Tests;

public sealed class GeminiCountTokensEndpointTests
{
    private const string ContentsOnly = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"why is the sky blue?\"}]}]}";
    private static readonly HttpClient Client = new();

    [Fact]
    public async Task Post_CountTokens_AnswersWithTheRecordedMembers()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);

        using var response = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), ContentsOnly, method: "countTokens");
        var json = await SimulatorCalls.JsonAsync(response);

        var recorded = GeminiCalls.RecordedResponses("gemini-countTokens-recording.json")[0];
        recorded.AsObject().Remove("contentTokens");
        recorded.AsObject().Remove("systemInstructionsTokens");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(SimulatorCalls.MissingMembers(recorded, json));
        Assert.True((int)json["totalTokens"]! > 0);
        Assert.Equal((int)json["totalTokens"]!, (int)json["promptTokensDetails"]![0]!["tokenCount"]!);
        Assert.Equal("/gem/v1beta/models/gemini-sim:countTokens", simulator["gem"].Calls[0].Path);
    }

    [Fact]
    public async Task Post_CountTokensOfAGenerateContentRequest_EqualsItsPromptTokenCount()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);
        var root = simulator.RootUrlOf("gem");
        var wrapped = "{\"generateContentRequest\":" + GeminiCalls.Body() + "}";

        using var count = await GeminiCalls.PostAsync(Client, root, wrapped, method: "countTokens");
        using var contentsOnly = await GeminiCalls.PostAsync(Client, root, ContentsOnly, method: "countTokens");
        using var generated = await GeminiCalls.PostAsync(Client, root, GeminiCalls.Body());

        var total = (int)(await SimulatorCalls.JsonAsync(count))["totalTokens"]!;
        Assert.Equal((int)(await SimulatorCalls.JsonAsync(generated))["usageMetadata"]!["promptTokenCount"]!, total);
        Assert.True(total > (int)(await SimulatorCalls.JsonAsync(contentsOnly))["totalTokens"]!);
    }

    [Fact]
    public async Task Post_CountTokensWithoutContents_GooglesInvalidArgument()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);

        using var response = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), "{}", method: "countTokens");
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("INVALID_ARGUMENT", (string?)json["error"]!["status"]);
    }

    [Fact]
    public async Task Post_CountTokens_ScriptedOverload_Answers503()
    {
        var provider = new SimulatedProvider("gem", SimulatorStyle.GeminiNative);
        await using var simulator = await ProviderSimulator.StartAsync([provider]);
        provider.Enqueue(SimulatedFault.Overloaded());

        using var response = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), ContentsOnly, method: "countTokens");
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("UNAVAILABLE", (string?)json["error"]!["status"]);
    }
}
