using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Spillway.Core.Secrets;
using Spillway.Simulator;
using Spillway.Tests.Support;
using Spillway.TestSupport.Servers;

namespace Spillway.Tests.Native;

/// <summary>
/// Both shared-store clients work in the Native AOT binary: Npgsql (slim data source, no reflection) for the key
/// vault, the clients and the ledger, and StackExchange.Redis for the live state and the change channel. Real
/// redis-server and PostgreSQL on loopback, a provider simulator behind the binary.
/// </summary>
public sealed class NativeSharedStoresTests(NativeBinary binary) : IClassFixture<NativeBinary>
{
    [Fact]
    public async Task KeysClientsServeAndUsage_OverRedisAndPostgres_WorkInTheNativeBinary()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var postgres = await PostgresServer.StartNewAsync();
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("local")], TimeProvider.System);
        using var master = MasterKey.Generate();
        var child = binary.Child();
        child.Variables["SPILLWAY_REDIS"] = redis.Configuration;
        child.Variables["SPILLWAY_POSTGRES"] = await postgres.CreateDatabaseAsync();
        child.Variables["SPILLWAY_MASTER_KEY"] = master.ToBase64();
        var config = Path.Combine(Path.GetTempPath(), "spillway-native-shared-" + Guid.NewGuid().ToString("N") + ".yaml");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            providers:
              - id: local
                format: openai
                base_url: {simulator.BaseUrlOf("local")}
                models: [gpt-4o-mini]
                keys: []
            models:
              - id: chain
                strategy: ordered
                route: [local/gpt-4o-mini]
            """));
        try
        {
            var keyAdded = await child.RunAsync(TestGateway.SecretOf("local") + "\n", "keys", "add", "--provider", "local", "--id", "local-1", "--tier", "free");
            var clientAdded = await child.RunAsync(string.Empty, "clients", "add", "--id", "team-a");
            Assert.True(keyAdded.ExitCode == 0, keyAdded.Stdout + keyAdded.Stderr);
            Assert.Contains("records: PostgreSQL", keyAdded.Stdout, StringComparison.Ordinal);
            Assert.True(clientAdded.ExitCode == 0, clientAdded.Stdout + clientAdded.Stderr);
            Assert.Contains("Told the instances on Redis", clientAdded.Stdout, StringComparison.Ordinal);
            var clientKey = clientAdded.Stdout.Split('\n').Single(line => line.StartsWith("sk-spill-", StringComparison.Ordinal)).Trim();

            await using (var serve = await child.ServeAsync("--config", config))
            {
                var health = JsonDocument.Parse(await serve.Http.GetStringAsync("/healthz")).RootElement;
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = TestGateway.ChatBody("chain") };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", clientKey);
                using var chat = await serve.Http.SendAsync(request);

                Assert.Equal("ok", health.GetProperty("status").GetString());
                Assert.Equal("redis", health.GetProperty("stores").GetProperty("live_state").GetString());
                Assert.Equal("postgres", health.GetProperty("stores").GetProperty("records").GetString());
                Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
                Assert.Equal(1, simulator["local"].CallCount);

                // The ledger is written to PostgreSQL in the background: wait (bounded) until the admin API lists it.
                for (var attempt = 0; attempt < 400 && await LedgerRowsAsync(serve) < 1; attempt++)
                {
                    await Task.Delay(50);
                }

                Assert.Equal(1, await LedgerRowsAsync(serve));
            }

            var usage = await child.RunAsync(string.Empty, "usage", "--json");
            Assert.True(usage.ExitCode == 0, usage.Stdout + usage.Stderr);
            Assert.Equal(1, JsonDocument.Parse(usage.Stdout).RootElement.GetProperty("total").GetProperty("requests").GetInt32());
        }
        finally
        {
            File.Delete(config);
        }
    }

    private static async Task<int> LedgerRowsAsync(ServeChild serve) =>
        JsonDocument.Parse(await serve.Http.GetStringAsync("/admin/requests?limit=10")).RootElement.GetArrayLength();
}
