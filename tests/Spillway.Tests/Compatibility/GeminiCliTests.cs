using System.Text;
using System.Text.Json;
using Spillway.Core.Configuration;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Compatibility;

/// <summary>
/// Gemini CLI, unmodified (the npm package pinned in tests/gemini-cli), with <c>GOOGLE_GEMINI_BASE_URL</c> set to the
/// gateway and <c>-m chain</c>: it speaks Gemini's own API, <c>POST /v1beta/models/chain:streamGenerateContent?alt=sse</c>
/// with the key in <c>x-goog-api-key</c>, tools declared with <c>parametersJsonSchema</c> and
/// <c>thinkingConfig.includeThoughts</c>, and the gateway answers from an OpenAI-format upstream. Given a model with
/// <c>-m</c>, 0.61 sends nothing else in a print run (no model list, no countTokens, no routing or next-speaker
/// call on a fixed flash-lite model), so those tests need no alias beyond <c>chain</c>. Without <c>-m</c> it routes
/// on its own model names, which the last test's config makes aliases of the simulator.
/// </summary>
public sealed class GeminiCliTests
{
    [Fact]
    public async Task Print_OpenAIUpstream_PrintsTheUpstreamsAnswerFromAStream()
    {
        const string Answer = "Answered by the simulated OpenAI upstream via Spillway.";
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.OpenAI) { ReplyText = Answer }]);

        // No built-in tools offered (tools.core: []): the simulator, like a model that needs none, answers in text.
        using var cli = new GeminiCli(coreTools: []);

        var run = await cli.RunAsync(gateway.Address, "-p", "Say hello", "-m", "chain");

        var detail = await DetailAsync(run, gateway);
        Assert.True(run.ExitCode == 0, detail);
        Assert.Contains(Answer, run.Stdout, StringComparison.Ordinal);
        var call = Assert.Single(gateway["up"].Calls);
        Assert.EndsWith("/chat/completions", call.Path, StringComparison.Ordinal);
        Assert.True(call.Stream, detail);
        using var body = JsonDocument.Parse(call.Body);
        var messages = body.RootElement.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Contains("Gemini CLI", messages[0].GetRawText(), StringComparison.Ordinal);
        Assert.Equal("user", messages[^1].GetProperty("role").GetString());
        Assert.Contains("Say hello", messages[^1].GetRawText(), StringComparison.Ordinal);

        var entry = Assert.Single((await gateway.LedgerAsync()).EnumerateArray());
        Assert.Equal("gemini", entry.GetProperty("client_format").GetString());
        Assert.Equal("chain", entry.GetProperty("model").GetString());
        Assert.Equal(200, entry.GetProperty("status").GetInt32());
        Assert.True(entry.GetProperty("stream").GetBoolean(), detail);
        Assert.Equal("up/" + TestGateway.DefaultModel(SimulatorStyle.OpenAI), entry.GetProperty("attempts")[0].GetProperty("route").GetString());
    }

    [Fact]
    public async Task Print_ReadFileRoundTrip_SendsTheFileBackAndPrintsTheFinalAnswer()
    {
        const string Answer = "The notes say the marker is there.";
        var marker = "spillway-marker-" + Guid.NewGuid().ToString("N");
        using var cli = new GeminiCli();
        var notes = Path.Combine(cli.WorkingDirectory, "notes.txt");
        await File.WriteAllTextAsync(notes, marker + "\n");

        // The CLI's file tool is read_file(file_path, start_line?, end_line?); read-only, it runs in a headless
        // run without approval. The simulator asks for it while the last turn is not a tool result, then answers.
        var provider = new SimulatedProvider("up", SimulatorStyle.OpenAI)
        {
            ReplyText = Answer,
            ToolCall = new SimulatedToolCall("read_file", JsonSerializer.Serialize(new Dictionary<string, string> { ["file_path"] = notes })),
        };
        await using var gateway = await TestGateway.StartAsync([provider]);

        var run = await cli.RunAsync(gateway.Address, "-p", "What do my notes say?", "-m", "chain");

        var detail = await DetailAsync(run, gateway);
        Assert.True(run.ExitCode == 0, detail);
        Assert.Contains(Answer, run.Stdout, StringComparison.Ordinal);
        var calls = gateway["up"].Calls;
        Assert.True(calls.Count == 2, detail);
        Assert.All(calls, call => Assert.True(call.Stream, detail));
        using var first = JsonDocument.Parse(calls[0].Body);
        Assert.Contains(
            first.RootElement.GetProperty("tools").EnumerateArray(),
            tool => tool.GetProperty("function").GetProperty("name").GetString() == "read_file");
        using var second = JsonDocument.Parse(calls[^1].Body);
        var messages = second.RootElement.GetProperty("messages").EnumerateArray().ToList();
        var request = messages.Single(m => m.TryGetProperty("tool_calls", out _)).GetProperty("tool_calls")[0];
        Assert.Equal("read_file", request.GetProperty("function").GetProperty("name").GetString());
        Assert.Contains(notes, request.GetProperty("function").GetProperty("arguments").GetString(), StringComparison.Ordinal);
        var result = messages.Single(m => m.GetProperty("role").GetString() == "tool");
        Assert.Equal(request.GetProperty("id").GetString(), result.GetProperty("tool_call_id").GetString());
        Assert.Contains(marker, result.GetProperty("content").GetRawText(), StringComparison.Ordinal);

        var ledger = (await gateway.LedgerAsync()).EnumerateArray().ToList();
        Assert.Equal(2, ledger.Count);
        Assert.All(ledger, entry => Assert.Equal("gemini", entry.GetProperty("client_format").GetString()));
    }

    /// <summary>
    /// Without <c>-m</c> the CLI picks its model itself, by name: 0.61's router first asks
    /// <c>gemini-3.5-flash-lite:generateContent</c> (not streamed) for JSON fitting a <c>responseJsonSchema</c> written
    /// with Gemini's upper-case type names, then streams the turn on the model the score picked
    /// (<c>gemini-3.8-flash</c> for the simulator's score). The test config makes those two names aliases of the
    /// simulator; the router's schema must reach the OpenAI-format upstream as JSON Schema, lower-case types.
    /// </summary>
    [Fact]
    public async Task Print_DefaultModel_ItsRouterAndMainCallsReachTheUpstreamThroughAliases()
    {
        const string Answer = "Answered on the CLI's own model names via Spillway.";
        var route = "up/" + TestGateway.DefaultModel(SimulatorStyle.OpenAI);
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("up", SimulatorStyle.OpenAI) { ReplyText = Answer }],
            configure: (_, config) => config with
            {
                Models = [.. config.Models, .. new[] { RouterModel, FlashModel }.Select(name => new ModelAliasConfig(name, RoutingStrategy.Ordered, [route]))],
            });
        using var cli = new GeminiCli(coreTools: []);

        var run = await cli.RunAsync(gateway.Address, "-p", "Say hello");

        var detail = await DetailAsync(run, gateway);
        Assert.True(run.ExitCode == 0, detail);
        Assert.Contains(Answer, run.Stdout, StringComparison.Ordinal);
        var calls = gateway["up"].Calls;
        Assert.True(calls.Count == 2, detail);
        Assert.False(calls[0].Stream, detail);
        Assert.True(calls[1].Stream, detail);
        using var router = JsonDocument.Parse(calls[0].Body);
        var schema = router.RootElement.GetProperty("response_format").GetProperty("json_schema").GetProperty("schema");
        Assert.Equal("object", schema.GetProperty("type").GetString());
        Assert.Equal("integer", schema.GetProperty("properties").GetProperty("complexity_score").GetProperty("type").GetString());

        var ledger = (await gateway.LedgerAsync()).EnumerateArray().Reverse().ToList();
        Assert.Equal([RouterModel, FlashModel], ledger.Select(entry => entry.GetProperty("model").GetString()));
        Assert.All(ledger, entry => Assert.Equal("gemini", entry.GetProperty("client_format").GetString()));
        Assert.All(ledger, entry => Assert.Equal(route, entry.GetProperty("attempts")[0].GetProperty("route").GetString()));
    }

    /// <summary>The model 0.61's router asks to score a turn (its "classifier" model config).</summary>
    private const string RouterModel = "gemini-3.5-flash-lite";

    /// <summary>The model 0.61's router picks for a simple turn.</summary>
    private const string FlashModel = "gemini-3.8-flash";

    private static async Task<string> DetailAsync(CliRun run, TestGateway gateway)
    {
        var detail = new StringBuilder(run.ToString()).Append("\nupstream requests:\n");
        foreach (var call in gateway["up"].Calls)
        {
            detail.Append(call.Path).Append(' ').Append(Encoding.UTF8.GetString(call.Body)).Append('\n');
        }

        return detail.Append("ledger:\n").Append(await gateway.LedgerAsync()).ToString();
    }
}
