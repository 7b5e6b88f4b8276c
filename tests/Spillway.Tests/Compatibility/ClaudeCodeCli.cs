namespace Spillway.Tests.Compatibility;

/// <summary>
/// Runs the pinned Claude Code CLI from <c>tests/claude-code/node_modules</c> (installed by
/// <c>npm ci --prefix tests/claude-code</c>) against a gateway, as a user would: <c>ANTHROPIC_BASE_URL</c> pointing
/// at it, in an <see cref="IsolatedCli"/> folder, with its telemetry, updater and error reporting off.
/// </summary>
internal sealed class ClaudeCodeCli : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly IsolatedCli _cli = new("claude-code");

    /// <summary>The folder Claude Code runs in: its project, where a test puts files for its tools.</summary>
    public string WorkingDirectory => _cli.WorkingDirectory;

    /// <summary>The CLI's executable; fails the test, naming the install command, when it is not installed.</summary>
    public static string Executable() => IsolatedCli.Executable("claude-code", "claude", "Claude Code");

    /// <summary>Runs <c>claude</c> with <paramref name="arguments"/> against the gateway at <paramref name="gateway"/> and waits for it to exit.</summary>
    public Task<CliRun> RunAsync(Uri gateway, params string[] arguments) =>
        _cli.RunAsync(Executable(), arguments, IsInherited, new Dictionary<string, string>
        {
            ["CLAUDE_CODE_TMPDIR"] = _cli.TempDirectory,
            ["ANTHROPIC_BASE_URL"] = gateway.GetLeftPart(UriPartial.Authority),
            ["ANTHROPIC_API_KEY"] = "sk-ant-client-key-for-the-gateway",
            ["DISABLE_TELEMETRY"] = "1",
            ["DISABLE_AUTOUPDATER"] = "1",
            ["DISABLE_ERROR_REPORTING"] = "1",
            ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
        }, Timeout);

    public void Dispose() => _cli.Dispose();

    /// <summary>Nothing from the developer's own Claude Code or Anthropic setup may leak into the run.</summary>
    private static bool IsInherited(string name) =>
        name.StartsWith("ANTHROPIC_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("CLAUDE", StringComparison.OrdinalIgnoreCase);
}
