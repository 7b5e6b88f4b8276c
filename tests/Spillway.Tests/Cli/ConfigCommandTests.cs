using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Spillway.Cli;
using Spillway.TestSupport;

namespace Spillway.Tests.Cli;

/// <summary><c>spillway config check</c>: the config as serve would load it, its providers and chains, without starting.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConfigCommandTests : IDisposable
{
    private const string GroqKey1 = "gsk_config_check_one_0123456789AAAA";
    private const string GroqKey2 = "gsk_config_check_two_0123456789BBBB";
    private const string OpenAIKey = "sk-config-check-0123456789CCCC";
    private const string StorePassword = "store-pass-0123456789DDDD";
    private const string RedisString = "cache.internal:6379,password=" + StorePassword + ",ssl=true";
    private const string PostgresString = "Host=db.internal;Database=spillway;Username=gw;Password=" + StorePassword;

    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private string Data => Path.Combine(_temp.Path, "data");

    [Fact]
    public async Task Check_GoodConfig_PrintsProvidersAndEachChainInOrderAndExitsZero()
    {
        var file = await GoodConfigAsync("http://127.0.0.1:1/v1");

        var (exit, stdout, stderr) = await CliRun.RunAsync("config", "check", "--config", file, "--data", Data);

        Assert.True(exit == 0, stderr);
        Assert.Empty(stderr);
        var lines = stdout.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Equal("data: " + Data, lines[0]);
        Assert.Contains("config: " + file, lines);
        var groq = Assert.Single(lines, l => l.TrimStart().StartsWith("groq ", StringComparison.Ordinal));
        Assert.Contains("http://127.0.0.1:1/v1", groq, StringComparison.Ordinal);
        Assert.Contains("groq-1 (free), groq-2 (free)", groq, StringComparison.Ordinal);
        Assert.Single(lines, l => l.Contains("openai-1 (paid)", StringComparison.Ordinal) && l.Contains("openai ", StringComparison.Ordinal));
        var chain = lines.SkipWhile(l => !l.Contains("free-first (free-first): groq/llama-3.3-70b-versatile -> openai/gpt-4o-mini", StringComparison.Ordinal)).Skip(1).Take(3).ToList();
        Assert.Equal(
            ["1. groq/llama-3.3-70b-versatile  key groq-1 (free)", "2. groq/llama-3.3-70b-versatile  key groq-2 (free)", "3. openai/gpt-4o-mini  key openai-1 (paid)"],
            chain.Select(l => l.Trim()));
        Assert.Contains("clients: team-a", lines);
        Assert.Contains("OK: 2 providers, 2 aliases.", lines);
        foreach (var secret in new[] { GroqKey1, GroqKey2, OpenAIKey })
        {
            Assert.DoesNotContain(secret, stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Check_Json_StdoutIsJsonWithProvidersAndChains()
    {
        var file = await GoodConfigAsync("http://127.0.0.1:1/v1");

        var (exit, stdout, stderr) = await CliRun.RunAsync("config", "check", "--json", "--config", file, "--data", Data);

        Assert.Equal(0, exit);
        Assert.Equal("data: " + Data, stderr.Trim());
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(file, root.GetProperty("source").GetString());
        Assert.Equal(Data, root.GetProperty("data").GetString());
        var groq = root.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "groq");
        Assert.Equal("openai", groq.GetProperty("format").GetString());
        Assert.Equal(["groq-1", "groq-2"], groq.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("id").GetString()));
        var ordered = root.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "paid-then-free");
        Assert.Equal("ordered", ordered.GetProperty("strategy").GetString());
        Assert.Equal(
            ["openai/gpt-4o-mini openai-1", "groq/llama-3.3-70b-versatile groq-1", "groq/llama-3.3-70b-versatile groq-2"],
            ordered.GetProperty("chain").EnumerateArray().Select(s => s.GetProperty("route").GetString() + " " + s.GetProperty("key").GetString()));
        Assert.Equal(["team-a"], root.GetProperty("clients").EnumerateArray().Select(c => c.GetString()));
        foreach (var secret in new[] { GroqKey1, GroqKey2, OpenAIKey })
        {
            Assert.DoesNotContain(secret, stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Check_BadConfig_ExitsNonZeroWithTheOneLineServePrints()
    {
        var file = Path.Combine(_temp.Path, "bad.yaml");
        await File.WriteAllTextAsync(file, "providers:\n  - id: groq\n    format: opneai\n    base_url: http://127.0.0.1:1/v1\n    keys: [{ id: k, value: x }]\n");

        var (exit, stdout, stderr) = await CliRun.RunAsync("config", "check", "--config", file, "--data", Data);
        var (serveExit, _, serveStderr) = await CliRun.RunAsync("serve", "--config", file, "--data", Data);

        Assert.NotEqual(0, exit);
        Assert.Equal(serveExit, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(serveStderr.Trim(), line.Trim());
        Assert.Contains("opneai", line, StringComparison.Ordinal);
        Assert.DoesNotContain("OK:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_GoodConfig_ReturnsWithoutListeningOrCallingAProvider()
    {
        // A provider that would see any call; serve would also block until stopped, where check returns at once.
        using var upstream = new TcpListener(IPAddress.Loopback, 0);
        upstream.Start();
        var file = await GoodConfigAsync($"http://127.0.0.1:{((IPEndPoint)upstream.LocalEndpoint).Port}/v1");

        var (exit, stdout, _) = await CliRun.RunAsync("config", "check", "--config", file, "--data", Data).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(0, exit);
        Assert.DoesNotContain("listening", stdout, StringComparison.OrdinalIgnoreCase);
        Assert.False(upstream.Pending());
        Assert.False(Directory.Exists(Data));
    }

    [Fact]
    public async Task Check_NoConfigFile_BuildsItFromTheEnvironmentAndStoredKeysAsServeDoes()
    {
        var added = await CliRun.RunWithInputAsync(GroqKey1, "keys", "add", "--provider", "groq", "--id", "groq-stored", "--data", Data);
        Assert.Equal(0, added.Exit);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new Dictionary<string, string?> { ["OPENAI_API_KEY"] = OpenAIKey };

        var exit = await ConfigCommand.CheckAsync(null, Data, json: false, environment, TimeProvider.System, output, error, CancellationToken.None);

        Assert.True(exit == 0, error.ToString());
        var text = output.ToString();
        Assert.Contains("config: environment", text, StringComparison.Ordinal);
        Assert.Contains("groq-stored (free)", text, StringComparison.Ordinal);
        Assert.Contains("openai-env (paid)", text, StringComparison.Ordinal);
        Assert.Contains("key groq-stored (free)", text, StringComparison.Ordinal);
        Assert.DoesNotContain(GroqKey1, text, StringComparison.Ordinal);
        Assert.DoesNotContain(OpenAIKey, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_NothingConfigured_ExitsNonZeroSayingServeWouldStartTheDemo()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await ConfigCommand.CheckAsync(null, Data, json: false, new Dictionary<string, string?>(), TimeProvider.System, output, error, CancellationToken.None);

        Assert.Equal(1, exit);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("serve would start the built-in demo", line, StringComparison.Ordinal);
    }

    /// <summary>Two providers (groq with two free keys, openai paid), a free-first and an ordered alias, one client.</summary>
    [Fact]
    public async Task Check_StorageSection_PrintsTheStoresHostsNeverThePasswords()
    {
        var file = await GoodConfigAsync("http://127.0.0.1:1/v1");
        await File.AppendAllTextAsync(file, "\nstorage:\n  redis: { env: GW_REDIS }\n  postgres: { value: \"" + PostgresString + "\" }\n");
        var environment = new Dictionary<string, string?> { ["GW_REDIS"] = RedisString };
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await ConfigCommand.CheckAsync(new FileInfo(file), Data, json: false, environment, TimeProvider.System, output, error, CancellationToken.None);

        Assert.True(exit == 0, error.ToString());
        var text = output.ToString();
        Assert.Contains("storage: redis (cache.internal:6379), postgres (host db.internal, database spillway)\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain(StorePassword, text, StringComparison.Ordinal);
        Assert.DoesNotContain(StorePassword, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_StorageJson_ShowsHostsOnly()
    {
        var file = await GoodConfigAsync("http://127.0.0.1:1/v1");
        var environment = new Dictionary<string, string?> { ["SPILLWAY_REDIS"] = RedisString };
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await ConfigCommand.CheckAsync(new FileInfo(file), Data, json: true, environment, TimeProvider.System, output, error, CancellationToken.None);

        Assert.True(exit == 0, error.ToString());
        using var json = JsonDocument.Parse(output.ToString());
        var storage = json.RootElement.GetProperty("storage");
        Assert.Equal("cache.internal:6379", storage.GetProperty("redis").GetString());
        Assert.Equal(JsonValueKind.Null, storage.GetProperty("postgres").ValueKind);
        Assert.DoesNotContain(StorePassword, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_NoConfigFile_TakesTheStoresFromTheEnvironment()
    {
        var environment = new Dictionary<string, string?> { ["OPENAI_API_KEY"] = OpenAIKey, ["SPILLWAY_POSTGRES"] = PostgresString };
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await ConfigCommand.CheckAsync(null, Data, json: false, environment, TimeProvider.System, output, error, CancellationToken.None);

        Assert.True(exit == 0, error.ToString());
        Assert.Contains("storage: postgres (host db.internal, database spillway)\n", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(StorePassword, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_NoStores_SaysEverythingStaysInTheDataFolder()
    {
        var file = await GoodConfigAsync("http://127.0.0.1:1/v1");

        var (exit, stdout, stderr) = await CliRun.RunAsync("config", "check", "--config", file, "--data", Data);

        Assert.True(exit == 0, stderr);
        Assert.Contains("storage: none (everything in the data folder)", stdout, StringComparison.Ordinal);
    }

    private async Task<string> GoodConfigAsync(string baseUrl)
    {
        var file = Path.Combine(_temp.Path, "spillway.yaml");
        await File.WriteAllTextAsync(file, $$"""
            providers:
              - id: groq
                preset: groq
                base_url: {{baseUrl}}
                keys:
                  - { id: groq-1, value: {{GroqKey1}}, tier: free }
                  - { id: groq-2, value: {{GroqKey2}}, tier: free }
              - id: openai
                preset: openai
                base_url: {{baseUrl}}
                keys: [{ id: openai-1, value: {{OpenAIKey}}, tier: paid }]
            models:
              - id: free-first
                route: [groq/llama-3.3-70b-versatile, openai/gpt-4o-mini]
              - id: paid-then-free
                strategy: ordered
                route: [openai/gpt-4o-mini, groq/llama-3.3-70b-versatile]
            auth:
              clients:
                - { id: team-a, value: sk-spill-config-check-client }
            """);
        return file;
    }
}
