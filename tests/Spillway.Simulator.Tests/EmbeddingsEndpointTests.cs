using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Spillway.Simulator.Tests;

public sealed class EmbeddingsEndpointTests
{
    private static readonly HttpClient Client = new();

    private static async Task<HttpResponseMessage> PostOpenAIAsync(ProviderSimulator simulator, string provider, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(simulator.BaseUrlOf(provider) + "/embeddings"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SimulatorCalls.Key);
        return await Client.SendAsync(request);
    }

    [Fact]
    public async Task Post_OpenAIList_OneUnitVectorPerInputWithUsage()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);

        using var response = await PostOpenAIAsync(simulator, "openai", """{"model":"text-embedding-3-small","input":["a cat","a dog"],"dimensions":8}""");
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("list", (string?)json["object"]);
        Assert.Equal("text-embedding-3-small", (string?)json["model"]);
        var data = json["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.Equal(1, (int)data[1]!["index"]!);
        Assert.Equal("embedding", (string?)data[0]!["object"]);
        var vector = data[0]!["embedding"]!.AsArray().Select(v => (float)v!).ToArray();
        Assert.Equal(8, vector.Length);
        Assert.InRange(vector.Sum(v => v * v), 0.999f, 1.001f);
        Assert.True((int)json["usage"]!["prompt_tokens"]! > 0);
        Assert.Equal((int)json["usage"]!["prompt_tokens"]!, (int)json["usage"]!["total_tokens"]!);
        var call = Assert.Single(simulator["openai"].Calls);
        Assert.Equal("/openai/v1/embeddings", call.Path);
        Assert.Equal("text-embedding-3-small", call.Model);
    }

    [Fact]
    public async Task Post_OpenAIBase64_IsTheFloat32BytesOfTheFloatAnswer()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);

        using var floats = await PostOpenAIAsync(simulator, "openai", """{"model":"m","input":"hello","dimensions":4}""");
        using var encoded = await PostOpenAIAsync(simulator, "openai", """{"model":"m","input":"hello","dimensions":4,"encoding_format":"base64"}""");

        var expected = (await SimulatorCalls.JsonAsync(floats))["data"]![0]!["embedding"]!.AsArray().Select(v => (float)v!).ToArray();
        var bytes = Convert.FromBase64String((string)(await SimulatorCalls.JsonAsync(encoded))["data"]![0]!["embedding"]!);
        var decoded = Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4))).ToArray();
        Assert.Equal(expected, decoded);
    }

    [Fact]
    public async Task Post_OpenAIWithoutInput_OpenAIsMissingParameter()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);

        using var response = await PostOpenAIAsync(simulator, "openai", """{"model":"m"}""");
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("input", (string?)json["error"]!["param"]);
    }

    [Fact]
    public async Task Post_OpenAIScriptedRateLimit_Answers429WithRetryAfterAndTheProvidersBody()
    {
        var provider = new SimulatedProvider("openai");
        await using var simulator = await ProviderSimulator.StartAsync([provider]);
        provider.Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(20)));

        using var response = await PostOpenAIAsync(simulator, "openai", """{"model":"m","input":"x"}""");
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("rate_limit_exceeded", (string?)json["error"]!["code"]);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(SimulatedFaultKind.RateLimited, Assert.Single(provider.Calls).Fault);
    }

    [Fact]
    public async Task Post_OpenAIFreeTierSpent_Answers429()
    {
        var provider = new SimulatedProvider("mistral", SimulatorStyle.Mistral) { RequestsPerMinute = 1 };
        await using var simulator = await ProviderSimulator.StartAsync([provider]);

        using var first = await PostOpenAIAsync(simulator, "mistral", """{"model":"mistral-embed","input":"x"}""");
        using var second = await PostOpenAIAsync(simulator, "mistral", """{"model":"mistral-embed","input":"x"}""");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
    }

    [Fact]
    public async Task Post_GeminiEmbedContent_OneVectorOfTheAskedLength()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);

        using var response = await GeminiCalls.PostAsync(
            Client, simulator.RootUrlOf("gem"), """{"content":{"parts":[{"text":"a cat"}]},"outputDimensionality":16}""", "gemini-embedding-001", "embedContent");
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var values = json["embedding"]!["values"]!.AsArray();
        Assert.Equal(16, values.Count);
        Assert.Null(json["usageMetadata"]);
        Assert.Equal(EmbeddingsEndpoint.Vector("a cat", "gemini-embedding-001", 16), values.Select(v => (float)v!).ToArray());
        Assert.Equal("/gem/v1beta/models/gemini-embedding-001:embedContent", Assert.Single(simulator["gem"].Calls).Path);
    }

    [Fact]
    public async Task Post_GeminiBatch_VectorsInOrder_AndAMismatchedModelIsRefused()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)]);
        const string Model = "gemini-embedding-001";

        using var response = await GeminiCalls.PostAsync(
            Client,
            simulator.RootUrlOf("gem"),
            """{"requests":[{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"one"}]}},{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"two"}]}}]}""",
            Model,
            "batchEmbedContents");
        using var mismatched = await GeminiCalls.PostAsync(
            Client, simulator.RootUrlOf("gem"), """{"requests":[{"model":"models/other","content":{"parts":[{"text":"one"}]}}]}""", Model, "batchEmbedContents");
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var embeddings = json["embeddings"]!.AsArray();
        Assert.Equal(2, embeddings.Count);
        Assert.Equal(EmbeddingsEndpoint.Vector("two", Model, null), embeddings[1]!["values"]!.AsArray().Select(v => (float)v!).ToArray());
        Assert.Equal(EmbeddingsEndpoint.DefaultDimensions, embeddings[0]!["values"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.BadRequest, mismatched.StatusCode);
    }

    [Fact]
    public async Task Post_GeminiScriptedQuota_AnswersGooglesResourceExhausted()
    {
        var provider = new SimulatedProvider("gem", SimulatorStyle.GeminiNative);
        await using var simulator = await ProviderSimulator.StartAsync([provider]);
        provider.Enqueue(SimulatedFault.QuotaExhausted());

        using var response = await GeminiCalls.PostAsync(
            Client, simulator.RootUrlOf("gem"), """{"content":{"parts":[{"text":"x"}]}}""", "gemini-embedding-001", "embedContent");
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("RESOURCE_EXHAUSTED", (string?)json["error"]!["status"]);
    }
}
