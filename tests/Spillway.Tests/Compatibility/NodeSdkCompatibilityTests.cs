using System.Text.Json;
using Spillway.Simulator;
using Spillway.Tests.Support;
using Xunit.Abstractions;

namespace Spillway.Tests.Compatibility;

/// <summary>
/// The official OpenAI, Anthropic and Google Gen AI JavaScript clients (npm <c>openai</c>, <c>@anthropic-ai/sdk</c>,
/// <c>@google/genai</c>), run by <c>tests/node/sdk-checks.mjs</c> against the gateway in front of an OpenAI, an
/// Anthropic and a Gemini-native upstream: text, streamed text, tool round trips and the model list, with each client.
/// </summary>
public sealed class NodeSdkCompatibilityTests(ITestOutputHelper output)
{
    private const string Reply = "Answered by the simulated upstream.";

    private static readonly string[] ExpectedChecks =
    [
        "openai.text", "openai.stream", "openai.tools", "openai.tools.stream", "openai.models",
        "openai.responses", "openai.responses.stream", "openai.responses.tools", "openai.responses.structured", "openai.responses.image",
        "anthropic.text", "anthropic.beta.text", "anthropic.stream", "anthropic.tools", "anthropic.tools.stream", "anthropic.models",
        "gemini.text", "gemini.stream", "gemini.tools", "gemini.models", "gemini.count",
    ];

    public static TheoryData<SimulatorStyle> Upstreams =>
        [SimulatorStyle.OpenAI, SimulatorStyle.Anthropic, SimulatorStyle.GeminiNative, SimulatorStyle.OpenAIResponses];

    [Theory]
    [MemberData(nameof(Upstreams))]
    public async Task BothJavaScriptClients_PassEveryCheck(SimulatorStyle style)
    {
        NodeChecks.EnsureInstalled();
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", style) { ReplyText = Reply }]);

        var (exitCode, stdout, stderr) = await NodeChecks.RunAsync(gateway.Address, "chain", Reply, TimeSpan.FromSeconds(120));

        output.WriteLine(stdout);
        Assert.True(exitCode == 0, $"sdk-checks.mjs exited {exitCode}.\nstdout: {stdout}\nstderr: {stderr}");
        using var summary = JsonDocument.Parse(stdout);
        var checks = summary.RootElement.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(ExpectedChecks, checks.Select(c => c.GetProperty("name").GetString()));
        Assert.All(checks, c => Assert.True(c.GetProperty("ok").GetBoolean(), c.ToString()));
        // Each check reached the upstream: eleven single calls, two per tool round trip (six round trips); Gemini's
        // token count is counted by the gateway.
        Assert.Equal(11 + 6 * 2, gateway["up"].CallCount);
    }

    [Fact]
    public async Task Script_WhenACheckFails_ExitsNonZeroAndNamesIt()
    {
        NodeChecks.EnsureInstalled();
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.OpenAI) { ReplyText = Reply }]);

        var (exitCode, stdout, _) = await NodeChecks.RunAsync(gateway.Address, "chain", "Some other text.", TimeSpan.FromSeconds(120));

        Assert.Equal(1, exitCode);
        using var summary = JsonDocument.Parse(stdout);
        Assert.False(summary.RootElement.GetProperty("ok").GetBoolean());
        var failed = summary.RootElement.GetProperty("checks").EnumerateArray().First(c => !c.GetProperty("ok").GetBoolean());
        Assert.Equal("openai.text", failed.GetProperty("name").GetString());
        Assert.Contains("Some other text.", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
