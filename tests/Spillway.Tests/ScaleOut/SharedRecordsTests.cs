using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spillway.Cli;
using Spillway.Core.Configuration;
using Spillway.Core.Providers;
using Spillway.Core.Secrets;
using Spillway.Hosting;
using Spillway.Serving;
using Spillway.Simulator;
using Spillway.Tests.Support;
using Spillway.TestSupport;
using Spillway.TestSupport.Servers;
using Xunit.Abstractions;

namespace Spillway.Tests.ScaleOut;

/// <summary>
/// The records every instance reads from PostgreSQL: clients added or removed with <c>spillway clients</c> (told to
/// every instance through Redis), provider keys stored with <c>spillway keys add</c>, and <c>spillway usage</c>.
/// </summary>
public sealed class SharedRecordsTests(ITestOutputHelper output) : IDisposable
{
    private const string ConfigKey = "sk-spill-from-the-config-0123456789";

    private readonly TempDirectory _commandFolder = new();

    public void Dispose() => _commandFolder.Dispose();

    [Fact]
    public async Task ClientsCommand_AddThenRemoveBesideOneInstance_AllThreeFollowAtOnceWithoutAPeriodicRead()
    {
        await using var cluster = await GatewayCluster.StartAsync(
            3,
            [new SimulatedProvider("groq", SimulatorStyle.Groq)],
            config => config with { Auth = config.Auth with { Clients = [new ClientKeyConfig("from-config", ClientKeyHash.Of(ConfigKey))] } },
            postgres: true);
        var place = new RecordsPlace(_commandFolder.Path, StorageOf(cluster));
        var started = cluster.Time.GetUtcNow();
        using var said = new StringWriter();

        Assert.Equal(0, await ClientsCommand.AddAsync(new ClientKeyConfig("team-b", string.Empty), place, cluster.Time, said, said, CancellationToken.None));
        var key = said.ToString().Split('\n').Single(line => line.StartsWith("sk-spill-", StringComparison.Ordinal)).Trim();
        Assert.Contains("Told the instances on Redis", said.ToString(), StringComparison.Ordinal);
        var admitted = await UntilAllAsync(cluster, key, HttpStatusCode.OK);

        Assert.Equal(0, await ClientsCommand.RemoveAsync("team-b", place, said, said, CancellationToken.None));
        var refused = await UntilAllAsync(cluster, key, HttpStatusCode.Unauthorized);

        // No clock moved: no periodic read (a minute apart with shared records) can have done it; the message did.
        Assert.Equal(started, cluster.Time.GetUtcNow());
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(cluster.Instances[1], ConfigKey));
        output.WriteLine($"admitted by all three after {admitted.TotalMilliseconds:0} ms, refused by all after {refused.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task KeysStoredInPostgres_ServeWithAnotherDataFolder_ServesThem()
    {
        await using var postgres = await PostgresServer.StartNewAsync();
        var storage = new StorageConfig(null, new Secret(await postgres.CreateDatabaseAsync()));
        using var master = MasterKey.Generate();
        var environment = new Dictionary<string, string?>
        {
            [StorageConfig.PostgresVariable] = storage.Postgres!.Reveal(),
            [MasterKeySource.Variable] = master.ToBase64(),
        };
        const string StoredKey = "gsk_stored-in-postgres-0123456789";
        await using (var records = await RecordStores.OpenAsync(storage, _commandFolder.Path, CancellationToken.None))
        {
            using var resolved = MasterKeySource.Resolve(_commandFolder.Path, environment, [], create: false)!;
            await new KeyVault(records.KeyVault, TimeProvider.System).AddAsync(
                resolved, "groq-shared", "groq", KeyTier.Free, new KeyLimits(), new Secret(StoredKey), CancellationToken.None);
        }

        using var otherInstance = new TempDirectory(create: false);
        var config = await ServeConfig.LoadAsync(null, otherInstance.Path, environment, TimeProvider.System, TextWriter.Null, CancellationToken.None);

        var key = Assert.Single(Assert.Single(config!.Providers).Keys);
        Assert.Equal("groq-shared", key.Id);
        Assert.Equal(StoredKey, key.Value.Reveal());
        Assert.False(Directory.Exists(otherInstance.Path), "nothing was read from or written to the instance's own data folder");
    }

    [Fact]
    public async Task UsageCommand_LedgerInPostgres_CountsTheRequestsOfEveryInstance()
    {
        await using var cluster = await GatewayCluster.StartAsync(2, [new SimulatedProvider("a")], postgres: true);
        for (var i = 0; i < 4; i++)
        {
            using var response = await cluster.Instances[i % 2].PostAsync("/v1/chat/completions", TestGateway.ChatBody("chain"));
            response.EnsureSuccessStatusCode();
        }

        var place = new RecordsPlace(_commandFolder.Path, StorageOf(cluster) with { Redis = null });
        for (var attempt = 0; attempt < 400; attempt++)
        {
            using var json = new StringWriter();
            using var error = new StringWriter();
            Assert.Equal(0, await UsageCommand.RunAsync(place, 1, json: true, cluster.Time, json, error, CancellationToken.None));
            var requests = JsonDocument.Parse(json.ToString()).RootElement.GetProperty("total").GetProperty("requests").GetInt32();
            if (requests == 4)
            {
                Assert.Contains("records: PostgreSQL", error.ToString(), StringComparison.Ordinal);
                return;
            }

            // The ledger is written in the background in small batches.
            await Task.Delay(50);
        }

        Assert.Fail("spillway usage did not count the four requests of the two instances within 20 s");
    }

    private static StorageConfig StorageOf(GatewayCluster cluster) =>
        cluster.Services(0).GetRequiredService<ConfigHolder>().Current.Storage;

    /// <summary>Polls every instance until each answers <paramref name="status"/> for <paramref name="key"/> (bounded: 10 s).</summary>
    private static async Task<TimeSpan> UntilAllAsync(GatewayCluster cluster, string key, HttpStatusCode status)
    {
        var clock = Stopwatch.StartNew();
        foreach (var instance in cluster.Instances)
        {
            while (await StatusWithAsync(instance, key) != status)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"an instance did not answer {status} within 10 s");
                await Task.Delay(20);
            }
        }

        return clock.Elapsed;
    }

    private static async Task<HttpStatusCode> StatusWithAsync(HttpClient instance, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = TestGateway.ChatBody("chain") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await instance.SendAsync(request);
        return response.StatusCode;
    }
}
