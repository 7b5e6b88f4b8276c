using System.Text.Json;
using Spillway.Simulator;
using Spillway.Tests.Endpoints;
using Spillway.Tests.Support;
using Xunit.Abstractions;

namespace Spillway.Tests.Compatibility;

/// <summary>
/// The official OpenAI JavaScript client's <c>client.embeddings.create</c> (run by <c>tests/node/embeddings-checks.mjs</c>)
/// against the gateway, with an OpenAI-format and a Gemini-native host of the alias's model: the first host is rate
/// limited, so the client's first call is served by the second.
/// </summary>
public sealed class NodeEmbeddingsCompatibilityTests(ITestOutputHelper output)
{
    public static TheoryData<SimulatorStyle> Upstreams => [SimulatorStyle.OpenAI, SimulatorStyle.GeminiNative];

    [Theory]
    [MemberData(nameof(Upstreams))]
    public async Task EmbeddingsCreate_FirstHostRateLimited_FallsBackAndPassesEveryCheck(SimulatorStyle style)
    {
        NodeChecks.EnsureInstalled();
        await using var gateway = await EmbeddingsEndpointsTests.StartAsync(new SimulatedProvider("first", style), new SimulatedProvider("second", style));
        gateway["first"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(30)));

        var (exitCode, stdout, stderr) = await NodeChecks.RunScriptAsync(
            "embeddings-checks.mjs", [gateway.Address.ToString(), "embed", "16"], TimeSpan.FromSeconds(120));

        output.WriteLine(stdout);
        Assert.True(exitCode == 0, $"embeddings-checks.mjs exited {exitCode}.\nstdout: {stdout}\nstderr: {stderr}");
        using var summary = JsonDocument.Parse(stdout);
        var checks = summary.RootElement.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(["openai.embeddings.string", "openai.embeddings.list", "openai.embeddings.float"], checks.Select(c => c.GetProperty("name").GetString()));
        var first = checks[0].GetProperty("detail");
        Assert.Equal(2, first.GetProperty("attempts").GetInt32());
        Assert.StartsWith("second/", first.GetProperty("route").GetString(), StringComparison.Ordinal);

        // Later calls skip the cooled key without calling it.
        Assert.All(checks.Skip(1), c => Assert.Equal(1, c.GetProperty("detail").GetProperty("attempts").GetInt32()));
        Assert.Equal(1, gateway["first"].CallCount);
        Assert.Equal(3, gateway["second"].CallCount);
    }
}
