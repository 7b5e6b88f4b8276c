using System.Net;
using System.Net.Http.Headers;
using Spillway.Core.Configuration;
using Spillway.Simulator;
using Spillway.Storage.Sqlite;
using Spillway.Tests.Support;
using Spillway.TestSupport;

namespace Spillway.Tests.Hosting;

/// <summary>A running gateway follows the stored clients: one added is admitted, one removed is refused, without a restart.</summary>
public sealed class StoredClientsWatcherTests : IDisposable
{
    private const string ConfigKey = "sk-spill-from-the-config-0123456789";
    private const string StoredKey = "sk-spill-stored-while-serving-0123456789";

    private readonly TempDirectory _data = new(create: false);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    [Fact]
    public async Task ClientAddedThenRemoved_WhileServing_IsAdmittedThenRefused_ConfigClientsStay()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("groq", SimulatorStyle.Groq)],
            (_, config) => config with { Auth = config.Auth with { Clients = [new ClientKeyConfig("from-config", ClientKeyHash.Of(ConfigKey))] } },
            dataDirectory: _data.Path,
            host: options => options with { StoredClientsInterval = TimeSpan.FromMilliseconds(100) });
        var store = new SqliteClientStore(_data.Path);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(gateway, StoredKey));

        await store.AddAsync(new ClientKeyConfig("stored", ClientKeyHash.Of(StoredKey)), DateTimeOffset.UtcNow, CancellationToken.None);
        await UntilAsync(async () => await StatusWithAsync(gateway, StoredKey) == HttpStatusCode.OK);

        await store.RemoveAsync("stored", CancellationToken.None);
        await UntilAsync(async () => await StatusWithAsync(gateway, StoredKey) == HttpStatusCode.Unauthorized);

        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(gateway, ConfigKey));
    }

    private static async Task<HttpStatusCode> StatusWithAsync(TestGateway gateway, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = TestGateway.ChatBody("chain") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await gateway.Http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Waits for the watcher's next reads (every 100 ms here), up to 10 s.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the gateway did not follow the stored clients within 10 s");
            await Task.Delay(50);
        }
    }
}
