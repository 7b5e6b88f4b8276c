using System.Net;
using System.Text;
using System.Text.Json;
using Spillway.TestSupport;
using Spillway.Tests.Support;

namespace Spillway.Tests.Cli;

/// <summary><c>spillway serve --log-format json|console</c> (and <c>$SPILLWAY_LOG_FORMAT</c>), run as a user runs it.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ServeLogFormatTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose()
    {
        _data.Dispose();
    }

    [Fact]
    public async Task Serve_LogFormatJson_EveryStdoutLineAJsonEntry_BannerOnStderr_KeyNeverShown()
    {
        // The provider's key comes from a variable of this test alone; the upstream refuses it and echoes it back, as
        // OpenAI's "Incorrect API key provided: sk-…" does, so the gateway logs the rejection.
        const string Variable = "SPILLWAY_LOG_FORMAT_TEST_KEY";
        var secret = "sk-log-format-secret-" + Guid.NewGuid().ToString("N");
        await using var upstream = new LoopbackUpstream((request, output, token) => LoopbackUpstream.WriteAsync(
            output,
            401,
            Encoding.UTF8.GetBytes("{\"error\":{\"message\":\"Incorrect API key provided: " + request.Key + ".\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"),
            "application/json",
            [],
            token));
        var config = Path.Combine(_data.Path, "spillway.yaml");
        await File.WriteAllTextAsync(config, $"""
            providers:
              - id: up
                format: openai
                base_url: {upstream.BaseUrl}
                keys: [{"{"} id: up-key, env: {Variable}, tier: free {"}"}]
                models: [gpt-4o-mini]
            models:
              - id: chain
                route: [up/gpt-4o-mini]
            """);
        Environment.SetEnvironmentVariable(Variable, secret);
        string stdout, stderr;
        Uri address;
        try
        {
            await using var serve = await ServeRun.StartAsync("--config", config, "--data", _data.Path, "--urls", "http://127.0.0.1:0", "--log-format", "json");
            address = serve.Address;
            using var http = new HttpClient { BaseAddress = address };
            using var response = await http.PostAsync("/v1/chat/completions", TestGateway.ChatBody("chain"));
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
            int exit;
            (exit, stdout, stderr) = await serve.StopAsync();
            Assert.Equal(0, exit);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
        }

        var entries = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseEntry).ToList();
        Assert.Contains(
            entries,
            e => e.GetProperty("LogLevel").GetString() == "Warning"
                && e.GetProperty("Message").GetString()!.StartsWith("Key up-key on up/gpt-4o-mini rejected by the provider", StringComparison.Ordinal)
                && e.GetProperty("State").GetProperty("KeyId").GetString() == "up-key");
        Assert.Contains("Spillway is listening on " + address, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_LogFormatUnknown_RefusedWithOneLineSayingWhatItTakes()
    {
        var (exit, _, stderr) = await CliRun.RunAsync("serve", "--demo", "--log-format", "xml");

        Assert.NotEqual(0, exit);
        Assert.Contains("--log-format takes console or json (got 'xml').", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_LogFormatVariableUnknown_RefusedNamingTheVariable()
    {
        Environment.SetEnvironmentVariable("SPILLWAY_LOG_FORMAT", "yaml");
        try
        {
            var (exit, _, stderr) = await CliRun.RunAsync("serve", "--demo");

            Assert.NotEqual(0, exit);
            Assert.Contains("$SPILLWAY_LOG_FORMAT takes console or json (got 'yaml').", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SPILLWAY_LOG_FORMAT", null);
        }
    }

    [Fact]
    public async Task ServeHelp_ListsBothLogFormats()
    {
        var (exit, stdout, _) = await CliRun.RunAsync("serve", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("--log-format <console|json>", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_DefaultLogFormat_BannerOnStdoutAsBefore()
    {
        await using var serve = await ServeRun.StartAsync("--demo", "--urls", "http://127.0.0.1:0", "--data", _data.Path);

        var (exit, stdout, _) = await serve.StopAsync();

        Assert.Equal(0, exit);
        Assert.Contains("Spillway is listening on " + serve.Address, stdout, StringComparison.Ordinal);
    }

    /// <summary>One stdout line as the JSON log entry it must be: an object with a UTC ISO-8601 time, a level, a category and a message.</summary>
    private static JsonElement ParseEntry(string line)
    {
        using var document = JsonDocument.Parse(line);
        var entry = document.RootElement.Clone();
        Assert.Equal(JsonValueKind.Object, entry.ValueKind);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", entry.GetProperty("Timestamp").GetString());
        Assert.False(string.IsNullOrEmpty(entry.GetProperty("LogLevel").GetString()));
        Assert.False(string.IsNullOrEmpty(entry.GetProperty("Category").GetString()));
        Assert.Equal(JsonValueKind.String, entry.GetProperty("Message").ValueKind);
        return entry;
    }
}
