
namespace Spillway.Tests.Compatibility;

/// <summary>
/// Runs the pinned Codex CLI from <c>tests/codex/node_modules</c> (installed by <c>npm ci --prefix tests/codex</c>)
/// against a gateway, as a user would: <c>openai_base_url</c> pointing at it in <c>$CODEX_HOME/config.toml</c>, the
/// client key in <c>CODEX_API_KEY</c>, an isolated <c>HOME</c>, <c>CODEX_HOME</c> and temp folder, no update check,
/// analytics or feedback, and proxies pointed at a closed loopback port so nothing can leave the machine.
/// </summary>
internal sealed class CodexCli : IDisposable
{
    /// <summary>The client key Codex sends as <c>Authorization: Bearer …</c>.</summary>
    public const string ClientKey = "sk-client-key-for-the-gateway";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private readonly IsolatedCli _cli = new("codex");

    /// <summary>The folder Codex works in, where a test puts files for its tools.</summary>
    public string WorkingDirectory => _cli.WorkingDirectory;

    private string CodexHome => Path.Combine(_cli.HomeDirectory, ".codex");

    /// <summary>The CLI's executable; fails the test, naming the install command, when it is not installed.</summary>
    public static string Executable() => IsolatedCli.Executable("codex", "codex", "Codex CLI");

    /// <summary>
    /// Runs <c>codex</c> with <paramref name="arguments"/> against the gateway at <paramref name="gateway"/> and waits
    /// for it to exit (<c>codex exec</c> appends piped stdin to the prompt: the empty one adds nothing).
    /// </summary>
    public async Task<CliRun> RunAsync(Uri gateway, params string[] arguments)
    {
        var executable = Executable();
        Directory.CreateDirectory(CodexHome);
        await File.WriteAllTextAsync(Path.Combine(CodexHome, "config.toml"), Config(gateway));
        return await _cli.RunAsync(executable, arguments, IsInherited, new Dictionary<string, string>
        {
            ["CODEX_HOME"] = CodexHome,
            ["CODEX_API_KEY"] = ClientKey,
        }, Timeout);
    }

    public void Dispose() => _cli.Dispose();

    /// <summary>
    /// The built-in OpenAI provider at the gateway (<c>--strict-config</c> makes Codex refuse a key it does not know,
    /// so a renamed setting fails the run instead of being ignored).
    /// </summary>
    private static string Config(Uri gateway) => $"""
        openai_base_url = "{new Uri(gateway, "/v1")}"
        check_for_update_on_startup = false

        [analytics]
        enabled = false

        [feedback]
        enabled = false
        """;

    /// <summary>Nothing from the developer's own Codex or OpenAI setup may leak into the run.</summary>
    private static bool IsInherited(string name) =>
        name.StartsWith("OPENAI_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("CODEX", StringComparison.OrdinalIgnoreCase);
}
