using System.Net;
using System.Text.Json.Nodes;

namespace Spillway.Simulator.Tests;

public sealed class GeminiNativeEndpointTests
{
    private static readonly HttpClient Client = new();

    [Fact]
    public async Task Post_GenerateContent_ReturnsResponseWithTheRecordedMembers()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);

        using var response = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), GeminiCalls.Body());
        var json = await SimulatorCalls.JsonAsync(response);

        var recorded = GeminiCalls.RecordedResponses("gemini-generateContent-systemInstruction-thoughtsTokenCount-recording.json")[0];
        recorded["usageMetadata"]!.AsObject().Remove("thoughtsTokenCount");
        recorded.AsObject().Remove("turnToken");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("spillway-simulator", SimulatorCalls.Header(response, "x-simulator"));
        Assert.Empty(SimulatorCalls.MissingMembers(recorded, json));
        var candidate = json["candidates"]![0]!;
        Assert.Equal("model", (string?)candidate["content"]!["role"]);
        Assert.Equal(simulator["gem"].ReplyText, (string?)candidate["content"]!["parts"]![0]!["text"]);
        Assert.Contains("simulated", (string)candidate["content"]!["parts"]![0]!["text"]!, StringComparison.Ordinal);
        Assert.Equal("STOP", (string?)candidate["finishReason"]);
        var usage = json["usageMetadata"]!;
        Assert.True((int)usage["promptTokenCount"]! > 0);
        Assert.Equal((int)usage["promptTokenCount"]! + (int)usage["candidatesTokenCount"]!, (int)usage["totalTokenCount"]!);
        Assert.Equal("gemini-sim", (string?)json["modelVersion"]);
        Assert.False(string.IsNullOrEmpty((string?)json["responseId"]));
    }

    [Fact]
    public async Task Post_WithFunctionDeclarations_ReturnsFunctionCallLikeTheRecording()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);

        using var response = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), GeminiCalls.Body(GeminiCalls.DivideTool));
        var json = await SimulatorCalls.JsonAsync(response);

        var recorded = GeminiCalls.RecordedResponses("gemini-generateContent-function-calling-recording.json")[0];
        recorded["candidates"]![0]!.AsObject().Remove("avgLogprobs");
        Assert.Empty(SimulatorCalls.MissingMembers(recorded, json));
        var call = json["candidates"]![0]!["content"]!["parts"]![0]!["functionCall"]!;
        Assert.Equal("customDivide", (string?)call["name"]);
        Assert.Equal(1, (int)call["args"]!["numerator"]!);
        Assert.Equal(1, (int)call["args"]!["denominator"]!);
        Assert.Equal("STOP", (string?)json["candidates"]![0]!["finishReason"]);
    }

    [Fact]
    public async Task Post_FunctionResponseIsTheLastTurn_AnswersWithText()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);
        var body = "{" + GeminiCalls.DivideTool + ",\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"100/2?\"}]}," +
            "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"customDivide\",\"args\":{}}}]}," +
            "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"customDivide\",\"response\":{\"result\":50}}}]}]}";

        using var response = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), body);
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(simulator["gem"].ReplyText, (string?)json["candidates"]![0]!["content"]!["parts"]![0]!["text"]);
    }

    [Fact]
    public async Task Post_MaxOutputTokensBelowTheReply_FinishesWithMaxTokens()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);

        using var response = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), GeminiCalls.Body("\"generationConfig\":{\"maxOutputTokens\":2}").Replace("\"generationConfig\":{},", string.Empty, StringComparison.Ordinal));
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal("MAX_TOKENS", (string?)json["candidates"]![0]!["finishReason"]);
        Assert.Equal(2, (int)json["usageMetadata"]!["candidatesTokenCount"]!);
    }

    [Fact]
    public async Task Post_StreamWithAltSse_SendsWholeResponsesWithUsageCompleteOnlyOnTheLast()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);

        using var response = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), GeminiCalls.Body(), method: "streamGenerateContent", sse: true);
        var lines = await SimulatorCalls.SseLinesAsync(response);
        var chunks = lines.Select(line => JsonNode.Parse(line)!).ToList();
        var recorded = GeminiCalls.RecordedResponses("gemini-streamGenerateContent-sse-recording.json");

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("[DONE]", lines);
        Assert.True(chunks.Count > 1);
        Assert.Empty(SimulatorCalls.MissingMembers(recorded[0], chunks[0]));
        Assert.Empty(SimulatorCalls.MissingMembers(recorded[^1], chunks[^1]));
        Assert.All(chunks, chunk => Assert.Equal((string?)chunks[0]["responseId"], (string?)chunk["responseId"]));
        Assert.All(chunks[..^1], chunk =>
        {
            Assert.Null(chunk["candidates"]![0]!["finishReason"]);
            Assert.Null(chunk["usageMetadata"]!["candidatesTokenCount"]);
        });
        var last = chunks[^1];
        Assert.Equal("STOP", (string?)last["candidates"]![0]!["finishReason"]);
        var usage = last["usageMetadata"]!;
        Assert.Equal((int)usage["promptTokenCount"]! + (int)usage["candidatesTokenCount"]!, (int)usage["totalTokenCount"]!);
        var text = string.Concat(chunks.Select(chunk => (string)chunk["candidates"]![0]!["content"]!["parts"]![0]!["text"]!));
        Assert.Equal(simulator["gem"].ReplyText, text);
    }

    [Fact]
    public async Task Post_StreamWithoutAltSse_ReturnsOneJsonArrayOfTheChunks()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);

        using var response = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), GeminiCalls.Body(), method: "streamGenerateContent");
        var json = await SimulatorCalls.JsonAsync(response);

        var chunks = json.AsArray();
        Assert.True(chunks.Count > 1);
        Assert.Equal("STOP", (string?)chunks[^1]!["candidates"]![0]!["finishReason"]);
    }

    [Fact]
    public async Task Post_StreamWithTool_SendsTheCallWholeInOneFinalChunk()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);

        using var response = await GeminiCalls.PostAsync(
            Client, simulator.RootUrlOf("gem"), GeminiCalls.Body(GeminiCalls.DivideTool), method: "streamGenerateContent", sse: true);
        var chunk = JsonNode.Parse((await SimulatorCalls.SseLinesAsync(response)).Single())!;

        Assert.Equal("customDivide", (string?)chunk["candidates"]![0]!["content"]!["parts"]![0]!["functionCall"]!["name"]);
        Assert.Equal("STOP", (string?)chunk["candidates"]![0]!["finishReason"]);
    }

    [Theory]
    [InlineData(false, "gemini-sim")]
    [InlineData(true, "gemini-sim")]
    [InlineData(false, "models/gemini-sim")]
    public async Task Post_KeyInHeaderOrQuery_IsAcceptedAndRecordedWithTheModelFromThePath(bool keyInQuery, string modelInPath)
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);

        using var response = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), GeminiCalls.Body(), modelInPath, keyInQuery: keyInQuery);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = simulator["gem"].Calls.Single();
        Assert.Equal($"/gem/v1beta/models/{modelInPath}:generateContent", call.Path);
        Assert.Equal("G001", call.KeyLast4);
        Assert.Equal("gemini-sim", call.Model);
        Assert.False(call.Stream);
    }

    [Theory]
    [InlineData(null, "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}]}", 403, "PERMISSION_DENIED")]
    [InlineData(GeminiCalls.Key, "{not json", 400, "INVALID_ARGUMENT")]
    [InlineData(GeminiCalls.Key, "{\"generationConfig\":{}}", 400, "INVALID_ARGUMENT")]
    [InlineData(GeminiCalls.Key, "{\"contents\":[]}", 400, "INVALID_ARGUMENT")]
    public async Task Post_InvalidRequest_ReturnsGoogleStatus(string? key, string body, int status, string canonical)
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);

        using var response = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), body, key: key);
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(status, (int)json["error"]!["code"]!);
        Assert.Equal(canonical, (string?)json["error"]!["status"]);
        Assert.Equal(1, simulator["gem"].CallCount);
    }

    [Fact]
    public async Task Post_UnservedMethod_IsNotFoundAndNotRecorded()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);

        using var response = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), GeminiCalls.Body(), method: "predict");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NOT_FOUND", (string?)(await SimulatorCalls.JsonAsync(response))["error"]!["status"]);
        Assert.Equal(0, simulator["gem"].CallCount);
    }

    [Fact]
    public async Task GetModels_WithKey_ListsModelsInGeminiShape()
    {
        var provider = new SimulatedProvider("gem", SimulatorStyle.GeminiNative) { Models = ["gemini-sim", "gemini-sim-lite"] };
        await using var simulator = await ProviderSimulator.StartAsync([provider]);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(simulator.RootUrlOf("gem"), "v1beta/models?key=" + GeminiCalls.Key));
        using var response = await Client.SendAsync(request);
        using var anonymous = await Client.GetAsync(new Uri(simulator.RootUrlOf("gem"), "v1beta/models"));
        var models = (await SimulatorCalls.JsonAsync(response))["models"]!.AsArray();

        Assert.Equal(["models/gemini-sim", "models/gemini-sim-lite"], models.Select(model => (string?)model!["name"]));
        Assert.Contains("generateContent", models[0]!["supportedGenerationMethods"]!.AsArray().Select(method => (string?)method));
        Assert.True((int)models[0]!["inputTokenLimit"]! > 0);
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Equal(2, provider.ModelListCount);
    }

    private const string RecipeConfig = "\"generationConfig\":{\"responseMimeType\":\"application/json\",\"responseSchema\":{\"type\":\"OBJECT\"," +
        "\"properties\":{\"recipe\":{\"type\":\"STRING\"},\"minutes\":{\"type\":\"INTEGER\"},\"steps\":{\"type\":\"ARRAY\",\"items\":{\"type\":\"STRING\"},\"minItems\":\"1\"}}," +
        "\"required\":[\"recipe\",\"minutes\",\"steps\"]}}";

    private static string StructuredBody(string generationConfig) =>
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"a recipe please\"}]}]," + generationConfig + "}";

    [Fact]
    public async Task Post_ResponseSchema_AnswersWithAnInstanceOfTheSchema()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);

        using var response = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), StructuredBody(RecipeConfig));
        var text = (string)(await SimulatorCalls.JsonAsync(response))["candidates"]![0]!["content"]!["parts"]![0]!["text"]!;

        var recipe = JsonNode.Parse(text)!;
        Assert.Equal("simulated", (string?)recipe["recipe"]);
        Assert.Equal(1, (int)recipe["minutes"]!);
        Assert.Single(recipe["steps"]!.AsArray());
    }

    [Fact]
    public async Task Post_ResponseJsonSchema_AnswersWithAnInstanceOfTheSchema()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);
        const string Config = "\"generationConfig\":{\"responseMimeType\":\"application/json\",\"responseJsonSchema\":{\"type\":\"object\"," +
            "\"properties\":{\"ok\":{\"type\":\"boolean\"}},\"required\":[\"ok\"]}}";

        using var response = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), StructuredBody(Config));
        var text = (string)(await SimulatorCalls.JsonAsync(response))["candidates"]![0]!["content"]!["parts"]![0]!["text"]!;

        Assert.True((bool)JsonNode.Parse(text)!["ok"]!);
    }

    [Fact]
    public async Task Post_StreamedJsonMimeTypeWithoutSchema_PartsConcatenateToAJsonObject()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);
        var body = StructuredBody("\"generationConfig\":{\"responseMimeType\":\"application/json\"}");

        using var response = await GeminiCalls.PostAsync(Client, simulator.RootUrlOf("gem"), body, method: "streamGenerateContent", sse: true);
        var parts = (await SimulatorCalls.SseLinesAsync(response))
            .Where(line => line.StartsWith('{'))
            .Select(line => (string?)JsonNode.Parse(line)!["candidates"]?[0]?["content"]?["parts"]?[0]?["text"])
            .OfType<string>()
            .ToList();

        Assert.True(parts.Count > 1);
        Assert.Equal(simulator["gem"].ReplyText, (string?)JsonNode.Parse(string.Concat(parts))!["answer"]);
    }
}
