using System.Text;
using System.Text.Json;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Compatibility;

/// <summary>
/// Claude Code, unmodified (the npm package pinned in tests/claude-code), with <c>ANTHROPIC_BASE_URL</c> set to the
/// gateway: it speaks the Anthropic Messages API (streaming, <c>?beta=true</c>, thinking, context management) and the
/// gateway answers from an OpenAI-format upstream.
/// </summary>
public sealed class ClaudeCodeTests
{
    [Fact]
    public async Task Print_OpenAIUpstream_PrintsTheUpstreamsAnswer()
    {
        const string Answer = "Answered by the simulated OpenAI upstream via Spillway.";
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.OpenAI) { ReplyText = Answer }]);
        using var cli = new ClaudeCodeCli();

        // No tools offered (--tools ""): the simulator, like a model that needs none, answers in text in one turn.
        var run = await cli.RunAsync(gateway.Address, "-p", "Say hello", "--bare", "--model", "chain", "--tools", "");

        var detail = await DetailAsync(run, gateway);
        Assert.True(run.ExitCode == 0, detail);
        Assert.Contains(Answer, run.Stdout, StringComparison.Ordinal);
        var call = Assert.Single(gateway["up"].Calls);
        Assert.EndsWith("/chat/completions", call.Path, StringComparison.Ordinal);
        Assert.True(call.Stream, detail);
        using var body = JsonDocument.Parse(call.Body);
        var messages = body.RootElement.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Contains("Say hello", messages[^1].GetRawText(), StringComparison.Ordinal);
        Assert.Equal("user", messages[^1].GetProperty("role").GetString());

        // What Claude Code sends that an OpenAI-format host would refuse is translated or left out: its system blocks
        // become one string (Groq), its ~150-character metadata.user_id fits OpenAI's 64, and thinking,
        // context_management and output_config, which it sends for any model, stay behind.
        Assert.Equal(JsonValueKind.String, messages[0].GetProperty("content").ValueKind);
        Assert.InRange(body.RootElement.GetProperty("user").GetString()!.Length, 1, 64);
        Assert.All(
            new[] { "thinking", "context_management", "output_config", "metadata", "system" },
            name => Assert.False(body.RootElement.TryGetProperty(name, out _), name + " was sent upstream"));
    }

    [Fact]
    public async Task Print_ReadToolRoundTrip_SendsTheFileBackAndPrintsTheFinalAnswer()
    {
        const string Answer = "The notes say the marker is there.";
        var marker = "spillway-marker-" + Guid.NewGuid().ToString("N");
        using var cli = new ClaudeCodeCli();
        var notes = Path.Combine(cli.WorkingDirectory, "notes.txt");
        await File.WriteAllTextAsync(notes, marker + "\n");
        var provider = new SimulatedProvider("up", SimulatorStyle.OpenAI)
        {
            ReplyText = Answer,
            ToolCall = new SimulatedToolCall("Read", JsonSerializer.Serialize(new Dictionary<string, string> { ["file_path"] = notes })),
        };
        await using var gateway = await TestGateway.StartAsync([provider]);

        var run = await cli.RunAsync(gateway.Address, "-p", "What do my notes say?", "--bare", "--model", "chain", "--allowedTools", "Read");

        var detail = await DetailAsync(run, gateway);
        Assert.True(run.ExitCode == 0, detail);
        Assert.Contains(Answer, run.Stdout, StringComparison.Ordinal);
        var calls = gateway["up"].Calls;
        Assert.True(calls.Count == 2, detail);
        using var first = JsonDocument.Parse(calls[0].Body);
        Assert.Contains(
            first.RootElement.GetProperty("tools").EnumerateArray(),
            tool => tool.GetProperty("function").GetProperty("name").GetString() == "Read");
        using var second = JsonDocument.Parse(calls[1].Body);
        var messages = second.RootElement.GetProperty("messages").EnumerateArray().ToList();
        var request = messages.Single(m => m.TryGetProperty("tool_calls", out _)).GetProperty("tool_calls")[0];
        Assert.Equal("Read", request.GetProperty("function").GetProperty("name").GetString());
        var result = messages.Single(m => m.GetProperty("role").GetString() == "tool");
        Assert.Equal(request.GetProperty("id").GetString(), result.GetProperty("tool_call_id").GetString());
        Assert.Contains(marker, result.GetProperty("content").GetRawText(), StringComparison.Ordinal);
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
