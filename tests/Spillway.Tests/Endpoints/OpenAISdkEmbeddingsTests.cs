using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Embeddings;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary>The official OpenAI .NET client's <see cref="EmbeddingClient"/> pointed at the gateway, over both upstream formats.</summary>
public sealed class OpenAISdkEmbeddingsTests
{
    private static EmbeddingClient ClientFor(TestGateway gateway) =>
        new OpenAIClient(new ApiKeyCredential("not-needed-on-loopback"), new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.Address, "/v1"),
            NetworkTimeout = TimeSpan.FromSeconds(30),
            RetryPolicy = new ClientRetryPolicy(0),
        }).GetEmbeddingClient("embed");

    [Theory]
    [InlineData(SimulatorStyle.OpenAI)]
    [InlineData(SimulatorStyle.GeminiNative)]
    public async Task GenerateEmbeddings_FirstHostRateLimited_VectorsOfTheAskedLengthFromTheSecond(SimulatorStyle style)
    {
        await using var gateway = await EmbeddingsEndpointsTests.StartAsync(new SimulatedProvider("first", style), new SimulatedProvider("second", style));
        gateway["first"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(30)));

        var result = await ClientFor(gateway).GenerateEmbeddingsAsync(["alpha", "beta"], new EmbeddingGenerationOptions { Dimensions = 24 });

        var embeddings = result.Value;
        Assert.Equal(2, embeddings.Count);
        Assert.Equal([0, 1], embeddings.Select(e => e.Index));
        Assert.All(embeddings, e =>
        {
            var vector = e.ToFloats().ToArray();
            Assert.Equal(24, vector.Length);
            Assert.InRange(vector.Sum(v => v * v), 0.999f, 1.001f);
        });
        Assert.True(embeddings.Usage.InputTokenCount > 0);
        Assert.Equal("2", result.GetRawResponse().Headers.TryGetValue("x-spillway-attempts", out var attempts) ? attempts : null);
        Assert.Equal(1, gateway["second"].CallCount);
    }

    [Fact]
    public async Task GenerateEmbedding_OneString_OneVector()
    {
        await using var gateway = await EmbeddingsEndpointsTests.StartAsync(new SimulatedProvider("gem", SimulatorStyle.GeminiNative));

        var embedding = (await ClientFor(gateway).GenerateEmbeddingAsync("hello")).Value;

        // The simulated model's own length when no dimensions are asked (the simulator's EmbeddingsEndpoint).
        Assert.Equal(256, embedding.ToFloats().Length);
    }
}
