using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Spillway.Simulator.Tests;

public sealed class ModelsEndpointTests
{
    private static readonly HttpClient Client = new();

    [Fact]
    public async Task Get_OpenAIStyle_ListsTheModelsInTheRecordedListShape()
    {
        var provider = new SimulatedProvider("openai") { Models = ["gpt-4o-mini", "gpt-4.1"] };
        await using var simulator = await ProviderSimulator.StartAsync([provider]);

        using var response = await GetModelsAsync(simulator.BaseUrlOf("openai"), SimulatorCalls.Key);
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(SimulatorCalls.MissingMembers(SimulatorCalls.FixtureBody("openai-models-list-200.txt"), json));
        Assert.Equal(["gpt-4o-mini", "gpt-4.1"], json["data"]!.AsArray().Select(model => (string)model!["id"]!));
        Assert.Equal(1, provider.ModelListCount);
        Assert.Equal(0, provider.CallCount);
    }

    [Fact]
    public async Task Get_OpenAIStyleWithoutKey_Answers401()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);

        using var response = await GetModelsAsync(simulator.BaseUrlOf("openai"), key: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Get_OpenRouterStyleWithoutKey_ListsModelsWithFreePricing()
    {
        var provider = new SimulatedProvider("openrouter", SimulatorStyle.OpenRouter) { Models = ["meta-llama/llama-3.3-70b-instruct:free", "openai/gpt-4o-mini"] };
        await using var simulator = await ProviderSimulator.StartAsync([provider]);

        using var response = await GetModelsAsync(simulator.BaseUrlOf("openrouter"), key: null);
        var data = (await SimulatorCalls.JsonAsync(response))["data"]!.AsArray();

        var recorded = JsonNode.Parse(Spillway.TestSupport.Fixtures.ReadText("openrouter-models-api-response-2025-12.json"))!["data"]![0]!;
        var recordedFree = new JsonObject { ["id"] = "x", ["pricing"] = new JsonObject { ["prompt"] = "0", ["completion"] = "0" } };
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(SimulatorCalls.MissingMembers(recorded["pricing"], data[0]!["pricing"]));
        Assert.Empty(SimulatorCalls.MissingMembers(recordedFree, data[0]));
        Assert.Equal("0", (string?)data[0]!["pricing"]!["prompt"]);
        Assert.Equal("meta-llama/llama-3.3-70b-instruct", (string?)data[0]!["canonical_slug"]);
        Assert.NotEqual("0", (string?)data[1]!["pricing"]!["prompt"]);
        Assert.Contains("tools", data[0]!["supported_parameters"]!.AsArray().Select(value => (string)value!));
    }

    [Fact]
    public async Task Get_WithModelListBody_AnswersTheRecordedCatalogVerbatim()
    {
        var recorded = Spillway.TestSupport.Fixtures.ReadBytes("openrouter-models-api-response-2025-12.json");
        var provider = new SimulatedProvider("openrouter", SimulatorStyle.OpenRouter) { ModelListBody = recorded };
        await using var simulator = await ProviderSimulator.StartAsync([provider]);

        using var response = await GetModelsAsync(simulator.BaseUrlOf("openrouter"), key: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(recorded, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, provider.ModelListCount);
    }

    private static async Task<HttpResponseMessage> GetModelsAsync(Uri providerBase, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, providerBase + "/models");
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await Client.SendAsync(request);
    }
}
