using System.Text;
using System.Text.Json;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Compatibility;

/// <summary>
/// Codex CLI, unmodified (the npm package pinned in tests/codex), with <c>openai_base_url</c> set to the gateway: it
/// tries a Responses WebSocket first (<c>GET /v1/responses</c>, refused with 426 so it falls back at once), then
/// streams <c>POST /v1/responses</c> with its own fields (<c>store: false</c>, <c>include</c>, <c>reasoning</c>,
/// <c>prompt_cache_key</c>, <c>client_metadata</c>) and tools (functions, a <c>namespace</c>, <c>web_search</c>), and the
/// gateway answers from a Chat Completions, Anthropic or Gemini upstream.
/// </summary>
public sealed class CodexTests
{
    private static readonly string[] Exec = ["exec", "--strict-config", "--skip-git-repo-check", "-m", "chain"];

    [Theory]
    [InlineData(SimulatorStyle.OpenAI)]
    [InlineData(SimulatorStyle.Groq)]
    public async Task Exec_ChatCompletionsUpstream_PrintsTheUpstreamsAnswer(SimulatorStyle style)
    {
        const string Answer = "Answered by the simulated Chat Completions upstream via Spillway.";

        // Codex always offers tools; the simulator, like a model that needs none, answers in text in one turn.
        var provider = new SimulatedProvider("up", style) { ReplyText = Answer, IgnoresTools = true };
        await using var gateway = await TestGateway.StartAsync([provider]);
        using var cli = new CodexCli();

        var run = await cli.RunAsync(gateway.Address, [.. Exec, "Say hello"]);

        var detail = await DetailAsync(run, gateway);
        Assert.True(run.ExitCode == 0, detail);
        Assert.Contains(Answer, run.Stdout, StringComparison.Ordinal);

        // The WebSocket refusal is taken as "not here", not as a failure to retry.
        Assert.DoesNotContain("Reconnecting", run.Stderr, StringComparison.Ordinal);
        var call = Assert.Single(gateway["up"].Calls);
        Assert.EndsWith("/chat/completions", call.Path, StringComparison.Ordinal);
        Assert.True(call.Stream, detail);
        using var body = JsonDocument.Parse(call.Body);
        var messages = body.RootElement.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Contains("Say hello", messages[^1].GetRawText(), StringComparison.Ordinal);
        Assert.Contains(
            body.RootElement.GetProperty("tools").EnumerateArray(),
            tool => tool.GetProperty("function").GetProperty("name").GetString() == "exec_command");

        // Responses-only fields stay behind; what Chat Completions shares goes up.
        Assert.All(
            new[] { "store", "include", "client_metadata", "reasoning", "input", "instructions" },
            name => Assert.False(body.RootElement.TryGetProperty(name, out _), name + " was sent upstream"));

        var entry = (await gateway.LedgerAsync(1))[0];
        Assert.Equal("openai-responses", entry.GetProperty("client_format").GetString());
        Assert.Equal("chain", entry.GetProperty("model").GetString());
        Assert.Equal("up/" + TestGateway.DefaultModel(style), entry.GetProperty("route").GetString());
        Assert.Equal(200, entry.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData(SimulatorStyle.Anthropic)]
    [InlineData(SimulatorStyle.GeminiNative)]
    [InlineData(SimulatorStyle.OpenAIResponses)]
    public async Task Exec_OtherUpstreamFormats_PrintTheUpstreamsAnswer(SimulatorStyle style)
    {
        const string Answer = "Answered by another upstream format via Spillway.";
        var provider = new SimulatedProvider("up", style) { ReplyText = Answer, IgnoresTools = true };
        await using var gateway = await TestGateway.StartAsync([provider]);
        using var cli = new CodexCli();

        var run = await cli.RunAsync(gateway.Address, [.. Exec, "Say hello"]);

        var detail = await DetailAsync(run, gateway);
        Assert.True(run.ExitCode == 0, detail);
        Assert.Contains(Answer, run.Stdout, StringComparison.Ordinal);
        Assert.Single(gateway["up"].Calls);
        var entry = (await gateway.LedgerAsync(1))[0];
        Assert.Equal("openai-responses", entry.GetProperty("client_format").GetString());
        Assert.Equal("up/" + TestGateway.DefaultModel(style), entry.GetProperty("route").GetString());
    }

    [Fact]
    public async Task Exec_ShellToolRoundTrip_RunsTheCommandAndSendsItsOutputBack()
    {
        const string Answer = "The notes hold the marker.";
        var marker = "spillway-codex-check-" + Guid.NewGuid().ToString("N");
        using var cli = new CodexCli();
        await File.WriteAllTextAsync(Path.Combine(cli.WorkingDirectory, "notes.txt"), marker + "\n");

        // Codex's shell tool is the function exec_command, whose cmd is one shell command line.
        var provider = new SimulatedProvider("up", SimulatorStyle.OpenAI)
        {
            ReplyText = Answer,
            ToolCall = new SimulatedToolCall("exec_command", """{"cmd":"cat notes.txt"}"""),
        };
        await using var gateway = await TestGateway.StartAsync([provider]);

        var run = await cli.RunAsync(gateway.Address, [.. Exec, "--dangerously-bypass-approvals-and-sandbox", "What do my notes say?"]);

        var detail = await DetailAsync(run, gateway);
        Assert.True(run.ExitCode == 0, detail);
        Assert.Contains(Answer, run.Stdout, StringComparison.Ordinal);
        var calls = gateway["up"].Calls;
        Assert.True(calls.Count == 2, detail);
        using var second = JsonDocument.Parse(calls[^1].Body);
        var messages = second.RootElement.GetProperty("messages").EnumerateArray().ToList();
        var request = messages.Single(m => m.TryGetProperty("tool_calls", out _)).GetProperty("tool_calls")[0];
        Assert.Equal("exec_command", request.GetProperty("function").GetProperty("name").GetString());
        var result = messages.Single(m => m.GetProperty("role").GetString() == "tool");
        Assert.Equal(request.GetProperty("id").GetString(), result.GetProperty("tool_call_id").GetString());
        Assert.Contains(marker, result.GetProperty("content").GetRawText(), StringComparison.Ordinal);
        Assert.All(
            (await gateway.LedgerAsync(2)).EnumerateArray(),
            entry => Assert.Equal("openai-responses", entry.GetProperty("client_format").GetString()));
    }

    [Fact]
    public async Task Exec_ShellToolRoundTripThroughAnthropic_TheOutputGoesBackAsAToolResult()
    {
        var (reversed, second) = await RunReversedEchoAsync(SimulatorStyle.Anthropic);
        using var request = second;
        var blocks = second.RootElement.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("content").ValueKind == JsonValueKind.Array)
            .SelectMany(m => m.GetProperty("content").EnumerateArray())
            .ToList();
        var use = blocks.Single(b => b.GetProperty("type").GetString() == "tool_use");
        Assert.Equal("exec_command", use.GetProperty("name").GetString());
        var result = blocks.Single(b => b.GetProperty("type").GetString() == "tool_result");
        Assert.Equal(use.GetProperty("id").GetString(), result.GetProperty("tool_use_id").GetString());

        Assert.Contains(reversed, result.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_ShellToolRoundTripThroughAResponsesUpstream_PassesThroughBothWays()
    {
        var (reversed, second) = await RunReversedEchoAsync(SimulatorStyle.OpenAIResponses);
        using var request = second;
        var items = second.RootElement.GetProperty("input").EnumerateArray().ToList();
        var call = items.Single(i => i.GetProperty("type").GetString() == "function_call");
        var output = items.Single(i => i.GetProperty("type").GetString() == "function_call_output");
        Assert.Equal(call.GetProperty("call_id").GetString(), output.GetProperty("call_id").GetString());
        Assert.Contains(reversed, output.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(TestGateway.DefaultModel(SimulatorStyle.OpenAIResponses), second.RootElement.GetProperty("model").GetString());
    }

    /// <summary>
    /// Codex asks the upstream of <paramref name="style"/> for a turn; the upstream calls the shell tool with a
    /// command printing a fresh marker reversed, which no request carried before. Returns that text and the
    /// upstream's second request, which must carry the command's output back.
    /// </summary>
    private static async Task<(string Reversed, JsonDocument Second)> RunReversedEchoAsync(SimulatorStyle style)
    {
        var marker = "spillway-codex-check-" + Guid.NewGuid().ToString("N");
        using var cli = new CodexCli();
        var provider = new SimulatedProvider("up", style)
        {
            ReplyText = "Done.",
            ToolCall = new SimulatedToolCall("exec_command", $$"""{"cmd":"echo {{marker}} | rev"}"""),
        };
        await using var gateway = await TestGateway.StartAsync([provider]);

        var run = await cli.RunAsync(gateway.Address, [.. Exec, "--dangerously-bypass-approvals-and-sandbox", "Run the check."]);

        var detail = await DetailAsync(run, gateway);
        Assert.True(run.ExitCode == 0, detail);
        var calls = gateway["up"].Calls;
        Assert.True(calls.Count == 2, detail);
        return (new string(marker.Reverse().ToArray()), JsonDocument.Parse(calls[^1].Body));
    }

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
