using System.Net;
using System.Reflection;
using System.Text.Json;
using Spillway.Cli;
using Spillway.Core.Engine;
using Spillway.Demo;
using Spillway.Tests.Support;
using Spillway.TestSupport.Otlp;

namespace Spillway.Tests.Native;

/// <summary>
/// The Native AOT binary does what the JIT build does, end to end: the demo answers and falls back across its
/// simulators, an Anthropic request is translated, a stream streams, the ledger records, the tokenizer counts, the
/// YAML config loads, and the key vault and client commands work. A part that trimming or AOT broke fails here, not at a user's.
/// </summary>
public sealed class NativeBinarySmokeTests(NativeBinary binary) : IClassFixture<NativeBinary>
{
    [Fact]
    public async Task Binary_IsNativeSelfContainedAndPrintsItsVersion()
    {
        var folder = Path.GetDirectoryName(binary.Path)!;
        var child = binary.Child();

        var (exit, stdout, _) = await child.RunAsync(string.Empty, "--version");

        Assert.False(File.Exists(Path.Combine(folder, "spillway.dll")), "a Native AOT publish leaves no spillway.dll");
        Assert.False(File.Exists(Path.Combine(folder, "spillway.runtimeconfig.json")), "a Native AOT binary needs no .NET runtime");
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(binary.Path).AsSpan(0, 4).ToArray());
        }

        Assert.Equal(0, exit);
        Assert.Equal(typeof(SpillwayCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion, stdout.Trim());
    }

    [Fact]
    public async Task Demo_FallsBackTranslatesStreamsAndRecordsTheLedger()
    {
        await using var serve = await binary.Child().ServeAsync("--demo");
        var http = serve.Http;

        // The demo's free tiers run out after a few requests: the chain moves on to the next simulator.
        var routes = new List<string>();
        for (var i = 0; i < 8 && routes.Distinct().Count() < 2; i++)
        {
            using var chat = await http.PostAsync("/v1/chat/completions", TestGateway.ChatBody("free-first"));
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
            routes.Add(chat.Headers.GetValues(SpillwayHeaders.Route).Single());
        }

        using var messages = await http.PostAsync("/v1/messages", TestGateway.MessagesBody("free-first"));
        var message = JsonDocument.Parse(await messages.Content.ReadAsStringAsync()).RootElement;
        using var stream = await http.PostAsync("/v1/chat/completions", TestGateway.ChatBody("free-first", stream: true));
        var events = await stream.Content.ReadAsStringAsync();
        var expectedRows = DemoTraffic.Requests + routes.Count + 2;
        var ledger = JsonDocument.Parse(await ReadUntilAsync(
            http, "/admin/requests?limit=50", body => JsonDocument.Parse(body).RootElement.GetArrayLength() >= expectedRows)).RootElement;

        // The demo's routes speak OpenAI's format, which has no count endpoint: the bundled o200k tokenizer counts.
        using var count = await http.PostAsync("/v1/messages/count_tokens", TestGateway.MessagesBody("free-first"));
        var tokens = JsonDocument.Parse(await count.Content.ReadAsStringAsync()).RootElement;

        Assert.True(routes.Distinct().Count() >= 2, "no fallback: every request was served by " + string.Join(", ", routes.Distinct()));
        Assert.Equal(HttpStatusCode.OK, messages.StatusCode);
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.StartsWith("msg_", message.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("text", message.GetProperty("content")[0].GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"chat.completion.chunk\"", events, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]", events.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(expectedRows, ledger.GetArrayLength());
        Assert.Contains(ledger.EnumerateArray(), e => e.GetProperty("client_format").GetString() == "anthropic");
        Assert.Contains(ledger.EnumerateArray(), e => e.GetProperty("attempts").GetArrayLength() > 1);
        Assert.Equal(HttpStatusCode.OK, count.StatusCode);
        Assert.True(tokens.GetProperty("input_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task TelemetryAndDashboard_MetricsTracesJsonLogsAndTheEmbeddedPages_WorkInTheBinary()
    {
        await using var receiver = await OtlpTraceReceiver.StartNewAsync();
        var child = binary.Child();
        child.Variables["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.AbsoluteUri.TrimEnd('/');
        await using var serve = await child.ServeAsync("--demo", "--log-format", "json");
        for (var i = 0; i < 3; i++)
        {
            using var chat = await serve.Http.PostAsync("/v1/chat/completions", TestGateway.ChatBody("free-first"));
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        }

        var expectedOk = DemoTraffic.Requests + 3;
        var metrics = await ReadUntilAsync(serve.Http, "/metrics", body => PrometheusText.Sum(
            body, "spillway_requests_total", ("alias", "free-first"), ("outcome", "ok")) >= expectedOk);
        var dashboard = await serve.Http.GetStringAsync("/ui/");
        using var script = await serve.Http.GetAsync("/ui/assets/app.js");
        var spans = await receiver.WaitForSpansAsync(
            all => all.Count(s => s.ScopeName == "Spillway" && s.Name == "chat free-first") >= 3, TimeSpan.FromMinutes(1));
        var (_, output) = await serve.TerminateAsync();

        Assert.Equal(expectedOk, PrometheusText.Sum(metrics, "spillway_requests_total", ("alias", "free-first"), ("outcome", "ok")));
        Assert.NotNull(PrometheusText.Sum(metrics, "gen_ai_client_operation_duration_seconds_count"));
        Assert.NotNull(PrometheusText.Sum(metrics, "spillway_key_cooldown_seconds"));
        Assert.Contains("http_server_request_duration_seconds_count", metrics, StringComparison.Ordinal);
        Assert.Contains(">Requests<", dashboard, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        var request = spans.First(s => s.Name == "chat free-first");
        Assert.Equal("chat", request.Attributes["gen_ai.operation.name"]);
        Assert.Contains(spans, s => s.ParentSpanId == request.SpanId && s.Kind == "Client" && s.ScopeName == "Spillway");
        var stdout = output[(output.IndexOf("stdout:\n", StringComparison.Ordinal) + 8)..output.IndexOf("\nstderr:\n", StringComparison.Ordinal)];
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var entry = JsonDocument.Parse(line);
            Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _), line);
        }
    }

    [Fact]
    public async Task ConfigCheck_YamlConfig_LoadsAndPrintsTheChain()
    {
        var child = binary.Child();
        var config = Path.Combine(Path.GetTempPath(), "spillway-native-" + Guid.NewGuid().ToString("N") + ".yaml");
        await File.WriteAllTextAsync(config, """
            providers:
              - id: local
                format: openai
                base_url: http://127.0.0.1:9/v1
                models: [llama3.2]
                keys: [{ id: local-1, value: "unused-placeholder-key", tier: free }]
            models:
              - id: local-first
                strategy: ordered
                route: [local/llama3.2]
            """);
        try
        {
            var (exit, stdout, stderr) = await child.RunAsync(string.Empty, "config", "check", "--config", config);

            Assert.True(exit == 0, stdout + stderr);
            Assert.Contains("local-first", stdout, StringComparison.Ordinal);
            Assert.Contains("local/llama3.2", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("unused-placeholder-key", stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task KeysAndClients_AddThenListAsJson()
    {
        const string Key = "gsk_native_smoke_0123456789abcdefWXYZ";
        var child = binary.Child();

        var added = await child.RunAsync(Key + "\n", "keys", "add", "--provider", "groq", "--id", "groq-1");
        var keys = await child.RunAsync(string.Empty, "keys", "list", "--json");
        var client = await child.RunAsync(string.Empty, "clients", "add", "--id", "team-a", "--budget-day", "5");
        var clients = await child.RunAsync(string.Empty, "clients", "list", "--json");

        Assert.True(added.ExitCode == 0, added.Stdout + added.Stderr);
        Assert.True(keys.ExitCode == 0, keys.Stdout + keys.Stderr);
        var key = Assert.Single(JsonDocument.Parse(keys.Stdout).RootElement.EnumerateArray());
        Assert.Equal("groq-1", key.GetProperty("id").GetString());
        Assert.DoesNotContain(Key, keys.Stdout + added.Stdout + added.Stderr, StringComparison.Ordinal);
        Assert.True(client.ExitCode == 0, client.Stdout + client.Stderr);
        Assert.Contains("sk-spill-", client.Stdout, StringComparison.Ordinal);
        Assert.True(clients.ExitCode == 0, clients.Stdout + clients.Stderr);
        Assert.Equal("team-a", Assert.Single(JsonDocument.Parse(clients.Stdout).RootElement.EnumerateArray()).GetProperty("id").GetString());
    }

    /// <summary>
    /// Reads <paramref name="path"/> until <paramref name="done"/> holds or a minute passes, and returns the last body:
    /// the gateway counts a request and writes its ledger row as the response ends, and the demo's own startup
    /// requests may still be on their way when <c>/healthz</c> first answers.
    /// </summary>
    private static async Task<string> ReadUntilAsync(HttpClient http, string path, Func<string, bool> done)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var body = await http.GetStringAsync(path);
            if (done(body) || limit.IsCancellationRequested)
            {
                return body;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
