using System.Text.Json.Nodes;

namespace Spillway.Tests.Compatibility;

/// <summary>
/// Runs the pinned Gemini CLI from <c>tests/gemini-cli/node_modules</c> (installed by
/// <c>npm ci --prefix tests/gemini-cli</c>) against a gateway, as a user would: <c>GOOGLE_GEMINI_BASE_URL</c>
/// pointing at it, <c>GEMINI_API_KEY</c> as the client key, an isolated <c>HOME</c> whose
/// <c>~/.gemini/settings.json</c> picks the API-key sign-in (so no auth dialog) and turns off telemetry, usage
/// statistics, the update check and IDE integration, and proxies pointing at a closed loopback port so nothing that
/// is not loopback can leave the machine.
/// </summary>
internal sealed class GeminiCli : IDisposable
{
    /// <summary>What the runs send as <c>GEMINI_API_KEY</c>; the test gateway has no client keys, so any string passes.</summary>
    public const string ClientKey = "gemini-cli-client-key-for-the-gateway";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>
    /// 0.61 reads <c>security.auth.selectedType</c>; with <c>GOOGLE_GEMINI_BASE_URL</c> alone it would pick its
    /// "gateway" sign-in, which its non-interactive check refuses ("Invalid auth method selected.").
    /// </summary>
    private const string Settings = """
        {
          "security": { "auth": { "selectedType": "gemini-api-key" } },
          "general": { "enableAutoUpdate": false, "enableAutoUpdateNotification": false },
          "privacy": { "usageStatisticsEnabled": false },
          "telemetry": { "enabled": false },
          "ide": { "enabled": false }
        }
        """;

    private readonly IsolatedCli _cli = new("gemini-cli");

    /// <param name="coreTools">
    /// The built-in tools offered to the model (<c>tools.core</c>), e.g. none, as Claude Code's <c>--tools ""</c>;
    /// null for the CLI's defaults.
    /// </param>
    public GeminiCli(IReadOnlyList<string>? coreTools = null)
    {
        var settings = JsonNode.Parse(Settings)!.AsObject();
        if (coreTools is not null)
        {
            settings["tools"] = new JsonObject { ["core"] = new JsonArray([.. coreTools.Select(tool => JsonValue.Create(tool))]) };
        }

        var folder = Directory.CreateDirectory(Path.Combine(_cli.HomeDirectory, ".gemini")).FullName;
        File.WriteAllText(Path.Combine(folder, "settings.json"), settings.ToJsonString());
    }

    /// <summary>The folder the CLI runs in: its workspace, where a test puts files for its tools.</summary>
    public string WorkingDirectory => _cli.WorkingDirectory;

    /// <summary>The CLI's executable; fails the test, naming the install command, when it is not installed.</summary>
    public static string Executable() => IsolatedCli.Executable("gemini-cli", "gemini", "Gemini CLI");

    /// <summary>
    /// Runs <c>gemini</c> with <paramref name="arguments"/> against the gateway at <paramref name="gateway"/> and waits
    /// for it to exit. <c>--skip-trust</c> is always passed: a headless run in an untrusted folder stops (exit 55).
    /// </summary>
    public Task<CliRun> RunAsync(Uri gateway, params string[] arguments) =>
        _cli.RunAsync(Executable(), arguments.Append("--skip-trust"), IsInherited, new Dictionary<string, string>
        {
            ["GOOGLE_GEMINI_BASE_URL"] = gateway.GetLeftPart(UriPartial.Authority),
            ["GEMINI_API_KEY"] = ClientKey,
        }, Timeout);

    public void Dispose() => _cli.Dispose();

    /// <summary>Nothing from the developer's own Gemini or Google setup may leak into the run.</summary>
    private static bool IsInherited(string name) =>
        name.StartsWith("GEMINI", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("GOOGLE", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("CLOUD_SHELL", StringComparison.OrdinalIgnoreCase);
}
