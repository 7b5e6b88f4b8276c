using System.Text;
using System.Text.Json;
using Spillway.Simulator;
using Spillway.Tests.Support;
using Xunit.Abstractions;

namespace Spillway.Tests.Compatibility;

/// <summary>
/// Stored responses with the official OpenAI JavaScript client (npm <c>openai</c>), run by
/// <c>tests/node/responses-store-checks.mjs</c>: a first turn served by an OpenAI-format upstream, a follow-up naming
/// it in <c>previous_response_id</c> served by an upstream of another format, which must get the first turn as
/// history; then retrieve, a streamed follow-up, <c>store: false</c> and delete.
/// </summary>
public sealed class NodeResponsesStoreTests(ITestOutputHelper output)
{
    private const string FirstAnswer = "Hello Ada, I will remember.";
    private const string SecondAnswer = "You told me your name is Ada.";

    /// <summary>The script's first question (<c>firstQuestion</c> there).</summary>
    private const string FirstQuestion = "My name is Ada. Please remember it.";

    private static readonly string[] ExpectedChecks =
        ["responses.create", "responses.retrieve", "responses.previous", "responses.previous.stream", "responses.store_false", "responses.delete"];

    [Theory]
    [InlineData(SimulatorStyle.Anthropic)]
    [InlineData(SimulatorStyle.GeminiNative)]
    public async Task OpenAIJavaScriptClient_PreviousResponseIdAcrossUpstreamFormats_PassesEveryCheck(SimulatorStyle second)
    {
        NodeChecks.EnsureInstalled();
        await using var gateway = await TestGateway.StartAsync(
        [
            new SimulatedProvider("oai", SimulatorStyle.OpenAI) { ReplyText = FirstAnswer },
            new SimulatedProvider("other", second) { ReplyText = SecondAnswer },
        ]);

        var (exitCode, stdout, stderr) = await NodeChecks.RunScriptAsync(
            "responses-store-checks.mjs",
            [gateway.Address.ToString(), "oai/gpt-4o-mini", "other/" + TestGateway.DefaultModel(second), FirstAnswer, SecondAnswer],
            TimeSpan.FromSeconds(120));

        output.WriteLine(stdout);
        Assert.True(exitCode == 0, $"responses-store-checks.mjs exited {exitCode}.\nstdout: {stdout}\nstderr: {stderr}");
        using var summary = JsonDocument.Parse(stdout);
        var checks = summary.RootElement.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(ExpectedChecks, checks.Select(c => c.GetProperty("name").GetString()));
        Assert.All(checks, c => Assert.True(c.GetProperty("ok").GetBoolean(), c.ToString()));

        // The follow-up went to the other format's upstream with the first turn (question and answer) before it.
        var followUp = Encoding.UTF8.GetString(Assert.Single(gateway["other"].Calls).Body);
        Assert.Contains(FirstQuestion, followUp, StringComparison.Ordinal);
        Assert.Contains(FirstAnswer, followUp, StringComparison.Ordinal);
        Assert.True(
            followUp.IndexOf(FirstAnswer, StringComparison.Ordinal) < followUp.IndexOf("What is my name?", StringComparison.Ordinal),
            "the first answer comes before the follow-up's question: " + followUp);

        // The streamed follow-up, back on the first upstream, carried both earlier turns.
        var third = Encoding.UTF8.GetString(gateway["oai"].Calls.Single(c => Encoding.UTF8.GetString(c.Body).Contains("And again?", StringComparison.Ordinal)).Body);
        Assert.Contains(SecondAnswer, third, StringComparison.Ordinal);
        Assert.Contains(FirstQuestion, third, StringComparison.Ordinal);
    }
}
