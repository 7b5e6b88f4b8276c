using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Spillway.Core.Configuration;
using Spillway.Hosting;
using Spillway.Simulator;
using Spillway.Storage.Sqlite;
using Spillway.Tests.Support;
using Spillway.TestSupport;

namespace Spillway.Tests.Cli;

/// <summary><c>spillway clients add|list|remove</c>: a key shown once, stored only hashed, admitted by serve.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ClientsCommandTests : IDisposable
{
    private readonly TempDirectory _data = new(create: false);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    [Fact]
    public async Task Add_PrintsTheKeyOnceAndStoresOnlyItsHash()
    {
        var (exit, output, error) = await RunAsync("clients", "add", "--id", "team-a", "--allow-paid", "false", "--budget-day", "2.5",
            "--budget-month", "20", "--rpm", "30", "--models", "free-first,groq/llama-3.3-70b-versatile", "--data-policy", "no-train", "--data", _data.Path);

        Assert.Equal(0, exit);
        Assert.Empty(error);
        var key = Assert.Single(output.Split('\n'), line => line.StartsWith("sk-spill-", StringComparison.Ordinal)).Trim();
        var stored = Assert.Single(await new SqliteClientStore(_data.Path).ListAsync(CancellationToken.None)).Client;
        Assert.Equal(ClientKeyHash.Of(key), stored.KeyHash);
        Assert.Equal((false, 2.5m, 20m, 30, true), (stored.AllowPaid, stored.BudgetUsdPerDay, stored.BudgetUsdPerMonth, stored.RequestsPerMinute, stored.NoTrain));
        Assert.Equal(["free-first", "groq/llama-3.3-70b-versatile"], stored.AllowedModels.ToArray());

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var database = Directory.GetFiles(_data.Path).Select(File.ReadAllBytes).SelectMany(bytes => bytes).ToArray();
        Assert.Equal(-1, database.AsSpan().IndexOf(Encoding.UTF8.GetBytes(key)));
    }

    [Fact]
    public async Task List_ShowsTheClientsButNeverAKeyOrHash()
    {
        var (_, added, _) = await RunAsync("clients", "add", "--id", "team-a", "--budget-day", "5", "--data", _data.Path);
        var key = added.Split('\n').Single(line => line.StartsWith("sk-spill-", StringComparison.Ordinal)).Trim();

        var (exit, output, _) = await RunAsync("clients", "list", "--data", _data.Path);

        Assert.Equal(0, exit);
        Assert.Contains("team-a", output, StringComparison.Ordinal);
        Assert.Contains("$5.00", output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, output, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientKeyHash.Of(key)[..16], output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Json_StdoutIsJsonWithTheAllowancesButNeverAKeyOrHash()
    {
        var (_, added, _) = await RunAsync("clients", "add", "--id", "team-a", "--allow-paid", "false", "--budget-day", "5", "--rpm", "30",
            "--models", "free-first", "--data-policy", "no-train", "--data", _data.Path);
        var key = added.Split('\n').Single(line => line.StartsWith("sk-spill-", StringComparison.Ordinal)).Trim();

        var (exit, output, error) = await RunAsync("clients", "list", "--json", "--data", _data.Path);

        Assert.Equal(0, exit);
        Assert.Equal("data: " + _data.Path, error.Trim());
        Assert.DoesNotContain(key, output, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientKeyHash.Of(key)[..16], output, StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var client = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("team-a", client.GetProperty("id").GetString());
        Assert.False(client.GetProperty("allow_paid").GetBoolean());
        Assert.Equal("no-train", client.GetProperty("data_policy").GetString());
        Assert.Equal(30, client.GetProperty("rpm").GetInt32());
        Assert.Equal(["free-first"], client.GetProperty("models").EnumerateArray().Select(m => m.GetString()!).ToArray());
        Assert.Equal(5m, client.GetProperty("budget").GetProperty("usd_per_day").GetDecimal());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, client.GetProperty("budget").GetProperty("usd_per_month").ValueKind);
    }

    [Fact]
    public async Task Add_SameIdTwiceOrBadValues_ExitsNonZeroWithOneLine()
    {
        await RunAsync("clients", "add", "--id", "team-a", "--data", _data.Path);

        var (twice, _, twiceError) = await RunAsync("clients", "add", "--id", "team-a", "--data", _data.Path);
        var (badId, _, badIdError) = await RunAsync("clients", "add", "--id", "team a/1", "--data", _data.Path);
        var (badRpm, _, badRpmError) = await RunAsync("clients", "add", "--id", "team-b", "--rpm", "0", "--data", _data.Path);

        Assert.Equal((2, 2, 2), (twice, badId, badRpm));
        Assert.Contains("stored already", twiceError, StringComparison.Ordinal);
        Assert.Contains("not a usable id", badIdError, StringComparison.Ordinal);
        Assert.Contains("--rpm must be 1 or more", badRpmError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_TheClientIsGoneAndAnUnknownOneIsAnError()
    {
        await RunAsync("clients", "add", "--id", "team-a", "--data", _data.Path);

        var (removed, _, _) = await RunAsync("clients", "remove", "team-a", "--data", _data.Path);
        var (again, _, error) = await RunAsync("clients", "remove", "team-a", "--data", _data.Path);

        Assert.Equal(0, removed);
        Assert.Equal(1, again);
        Assert.Contains("no stored client 'team-a'", error, StringComparison.Ordinal);
        Assert.Empty(await new SqliteClientStore(_data.Path).ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task StoredClient_IsAdmittedByTheGatewayOnTheSameDataFolder()
    {
        var (_, added, _) = await RunAsync("clients", "add", "--id", "team-a", "--data", _data.Path);
        var key = added.Split('\n').Single(line => line.StartsWith("sk-spill-", StringComparison.Ordinal)).Trim();

        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("groq", SimulatorStyle.Groq)],
            (_, config) => AddStoredAsync(config).GetAwaiter().GetResult());
        using var withKey = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = TestGateway.ChatBody("chain") };
        withKey.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var served = await gateway.Http.SendAsync(withKey);
        using var refused = await gateway.ChatAsync("chain");

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task StoredClient_WithTheIdOfAConfiguredOne_IsAConfigError()
    {
        await RunAsync("clients", "add", "--id", "team-a", "--data", _data.Path);
        var config = new SpillwayConfig { Auth = new AuthConfig { Clients = [new ClientKeyConfig("team-a", ClientKeyHash.Of("other"))] } };

        var error = await Assert.ThrowsAsync<ConfigException>(() => AddStoredAsync(config));

        Assert.Contains("client 'team-a' is in the config (auth.clients) and stored", error.Message, StringComparison.Ordinal);
    }

    private static Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args) => CliRun.RunAsync(args);

    private async Task<SpillwayConfig> AddStoredAsync(SpillwayConfig config)
    {
        await using var records = await RecordStores.OpenAsync(StorageConfig.None, _data.Path, CancellationToken.None);
        return await StoredClients.AddToAsync(config, records, CancellationToken.None);
    }
}
