using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;
using System.Text;
using System.Text.Json;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Core.Providers;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary><c>POST /v1/embeddings</c> on real loopback HTTP, in front of OpenAI-format and Gemini-native simulators.</summary>
public sealed class EmbeddingsEndpointsTests
{
    internal const string OpenAIModel = "text-embedding-3-small";
    internal const string GeminiModel = "gemini-embedding-001";

    /// <summary>
    /// Every simulator serves one embedding model (OpenAI styles <see cref="OpenAIModel"/>, priced as OpenAI's preset;
    /// Gemini native <see cref="GeminiModel"/>), and the alias <c>embed</c> chains them in order.
    /// </summary>
    internal static Task<TestGateway> StartAsync(params SimulatedProvider[] providers) =>
        TestGateway.StartAsync(providers, (_, config) =>
        {
            var embedding = config.Providers.Select(p => p.Format == Core.Chat.WireFormat.Gemini
                ? p with { EmbeddingModels = [GeminiModel] }
                : p with { EmbeddingModels = [OpenAIModel], Preset = "openai" });
            ImmutableArray<string> route = [.. embedding.Select(p => $"{p.Id}/{p.EmbeddingModels[0]}")];
            return config with
            {
                Providers = [.. embedding],
                Models = [.. config.Models, new ModelAliasConfig("embed", RoutingStrategy.Ordered, route)],
            };
        });

    internal static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Embeddings_OpenAIHost_PassesTheBodyThroughWithTheRoutesModelAndHeaders()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("oa", SimulatorStyle.OpenAI));

        using var response = await gateway.Http.PostAsync("/v1/embeddings", Body("""{"model":"embed","input":"The food was delicious","dimensions":8,"user":"u-1"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("oa/" + OpenAIModel, Header(response, SpillwayHeaders.Route));
        Assert.Equal("1", Header(response, SpillwayHeaders.Attempts));
        Assert.Equal("oa/" + OpenAIModel, Header(response, SpillwayHeaders.Tried));
        Assert.StartsWith("req_", Header(response, SpillwayHeaders.RequestId), StringComparison.Ordinal);
        Assert.True(decimal.Parse(Header(response, SpillwayHeaders.CostUsd)!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var data = json.RootElement.GetProperty("data");
        Assert.Equal(8, data[0].GetProperty("embedding").GetArrayLength());
        var call = Assert.Single(gateway["oa"].Calls);
        Assert.Equal("/oa/v1/embeddings", call.Path);
        using var sent = JsonDocument.Parse(call.Body);
        Assert.Equal(OpenAIModel, sent.RootElement.GetProperty("model").GetString());
        Assert.Equal("u-1", sent.RootElement.GetProperty("user").GetString());

        var entry = (await gateway.LedgerAsync())[0];
        Assert.Equal("openai-embeddings", entry.GetProperty("client_format").GetString());
        Assert.Equal("embed", entry.GetProperty("model").GetString());
        Assert.Equal(200, entry.GetProperty("status").GetInt32());
        Assert.Equal(json.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt64(), entry.GetProperty("usage").GetProperty("input_tokens").GetInt64());
        Assert.Equal(0, entry.GetProperty("usage").GetProperty("output_tokens").GetInt64());
        Assert.True(entry.GetProperty("cost_usd").GetDecimal() > 0);
    }

    [Fact]
    public async Task Embeddings_GeminiNativeList_TranslatedToOpenAIsListWithEstimatedUsage()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("gem", SimulatorStyle.GeminiNative));

        using var response = await gateway.Http.PostAsync("/v1/embeddings", Body("""{"model":"embed","input":["one","two","three"],"dimensions":12}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal("list", root.GetProperty("object").GetString());
        Assert.Equal(GeminiModel, root.GetProperty("model").GetString());
        var data = root.GetProperty("data");
        Assert.Equal(3, data.GetArrayLength());
        Assert.Equal([0, 1, 2], data.EnumerateArray().Select(d => d.GetProperty("index").GetInt32()));
        Assert.All(data.EnumerateArray(), d => Assert.Equal("embedding", d.GetProperty("object").GetString()));
        var vector = data[2].GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(12, vector.Length);
        Assert.InRange(vector.Sum(v => v * v), 0.999f, 1.001f);
        Assert.True(root.GetProperty("usage").GetProperty("prompt_tokens").GetInt64() >= 3);

        var call = Assert.Single(gateway["gem"].Calls);
        Assert.Equal($"/gem/v1beta/models/{GeminiModel}:batchEmbedContents", call.Path);
        using var sent = JsonDocument.Parse(call.Body);
        var requests = sent.RootElement.GetProperty("requests");
        Assert.Equal("models/" + GeminiModel, requests[0].GetProperty("model").GetString());
        Assert.Equal("three", requests[2].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal(12, requests[0].GetProperty("outputDimensionality").GetInt32());

        var entry = (await gateway.LedgerAsync())[0];
        Assert.Equal(root.GetProperty("usage").GetProperty("prompt_tokens").GetInt64(), entry.GetProperty("usage").GetProperty("input_tokens").GetInt64());
        Assert.Contains("estimated", entry.GetProperty("attempts")[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0m, entry.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task Embeddings_GeminiNativeOneStringAsBase64_IsEmbedContentWithFloat32Bytes()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("gem", SimulatorStyle.GeminiNative));

        using var response = await gateway.Http.PostAsync("/v1/embeddings", Body("""{"model":"embed","input":"hello","encoding_format":"base64","dimensions":6}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var bytes = Convert.FromBase64String(json.RootElement.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        var floats = Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4))).ToArray();
        Assert.Equal(6, floats.Length);
        Assert.InRange(floats.Sum(v => v * v), 0.999f, 1.001f);
        Assert.Equal($"/gem/v1beta/models/{GeminiModel}:embedContent", Assert.Single(gateway["gem"].Calls).Path);
    }

    [Fact]
    public async Task Embeddings_FirstHostRateLimited_SecondHostOfTheSameModelServes()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("oa", SimulatorStyle.OpenAI), new SimulatedProvider("mi", SimulatorStyle.Mistral));
        gateway["oa"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(30)));

        using var response = await gateway.Http.PostAsync("/v1/embeddings", Body("""{"model":"embed","input":["a","b"]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("mi/" + OpenAIModel, Header(response, SpillwayHeaders.Route));
        Assert.Equal("2", Header(response, SpillwayHeaders.Attempts));
        Assert.Equal($"oa/{OpenAIModel},mi/{OpenAIModel}", Header(response, SpillwayHeaders.Tried));
        var attempts = (await gateway.LedgerAsync())[0].GetProperty("attempts");
        Assert.Equal(["rate_limited", "ok"], attempts.EnumerateArray().Select(a => a.GetProperty("outcome").GetString()!));
        Assert.Equal(429, attempts[0].GetProperty("status").GetInt32());

        // The cooled key is skipped without a call next time.
        using var again = await gateway.Http.PostAsync("/v1/embeddings", Body("""{"model":"embed","input":"c"}"""));
        Assert.Equal("1", Header(again, SpillwayHeaders.Attempts));
        Assert.Equal(1, gateway["oa"].CallCount);
    }

    [Fact]
    public async Task Embeddings_FirstKeyRateLimited_SecondKeyOfTheSameProviderServes()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("gem", SimulatorStyle.GeminiNative)], (_, config) =>
        {
            var provider = config.Providers[0];
            var second = new KeyConfig("gem-key-2", new Secret(TestGateway.SecretOf("gem") + "-2"), KeyTier.Free, KeyLimits.Unknown);
            return config with
            {
                Providers = [provider with { EmbeddingModels = [GeminiModel], Keys = [.. provider.Keys, second] }],
                Models = [new ModelAliasConfig("embed", RoutingStrategy.Ordered, ["gem/" + GeminiModel])],
            };
        });
        gateway["gem"].Enqueue(SimulatedFault.QuotaExhausted());

        using var response = await gateway.Http.PostAsync("/v1/embeddings", Body("""{"model":"embed","input":"x"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2", Header(response, SpillwayHeaders.Attempts));
        var attempts = (await gateway.LedgerAsync())[0].GetProperty("attempts");
        Assert.Equal(["gem-key", "gem-key-2"], attempts.EnumerateArray().Select(a => a.GetProperty("key_id").GetString()!));
        Assert.Equal(["quota_exhausted", "ok"], attempts.EnumerateArray().Select(a => a.GetProperty("outcome").GetString()!));
    }

    [Fact]
    public async Task Embeddings_EveryHostRateLimited_Answers429WithRetryAfterInOpenAIsShape()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("oa", SimulatorStyle.OpenAI), new SimulatedProvider("gem", SimulatorStyle.GeminiNative));
        gateway["oa"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(40)));
        gateway["gem"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(20)));

        // Different models on the two hosts would be refused by the loader; here only the fallback is under test.
        using var response = await gateway.Http.PostAsync("/v1/embeddings", Body("""{"model":"embed","input":"x"}"""));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 15, 21);
        Assert.Equal("2", Header(response, SpillwayHeaders.Attempts));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Embeddings_TokenIdsOnAGeminiOnlyChain_Answers400NamingWhy()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("gem", SimulatorStyle.GeminiNative));

        using var response = await gateway.Http.PostAsync("/v1/embeddings", Body("""{"model":"embed","input":[[1,2,3]]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("token-id input", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, gateway["gem"].CallCount);
    }

    [Fact]
    public async Task Embeddings_ChatAlias_Answers400AndChatOnAnEmbeddingAlias_Answers400()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("oa", SimulatorStyle.OpenAI));

        using var embedChat = await gateway.Http.PostAsync("/v1/embeddings", Body("""{"model":"chain","input":"x"}"""));
        using var chatEmbed = await gateway.ChatAsync("embed");

        Assert.Equal(HttpStatusCode.BadRequest, embedChat.StatusCode);
        using var first = JsonDocument.Parse(await embedChat.Content.ReadAsStringAsync());
        Assert.Equal("not_an_embedding_model", first.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, chatEmbed.StatusCode);
        using var second = JsonDocument.Parse(await chatEmbed.Content.ReadAsStringAsync());
        Assert.Equal("embedding_model", second.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("/v1/embeddings", second.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, gateway["oa"].CallCount);
    }

    [Fact]
    public async Task Models_ListsTheEmbeddingAliasAndRoutes()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("gem", SimulatorStyle.GeminiNative));

        using var json = JsonDocument.Parse(await gateway.Http.GetStringAsync("/v1/models"));

        var ids = json.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Contains("embed", ids);
        Assert.Contains("gem/" + GeminiModel, ids);
    }

    private static string? Header(HttpResponseMessage response, string name) => OpenAIEndpointsFallbackTests.Header(response, name);
}
