using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Spillway.TestSupport.Servers;

namespace Spillway.Storage.Redis.Tests.Support;

/// <summary>One real redis-server per test class (stopped and its folder removed when the class is done); each test
/// takes a fresh key prefix and its own connections, one per simulated instance.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public RedisServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await RedisServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A prefix no other test uses.</summary>
    public static string FreshPrefix() => "t" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)[..12] + ":";

    /// <summary>One instance's connection (a multiplexer of its own) under <paramref name="prefix"/>.</summary>
    public Task<RedisConnection> ConnectAsync(string prefix) =>
        RedisConnection.ConnectAsync(Server.Configuration + ",connectTimeout=1000,connectRetry=1", NullLogger.Instance, prefix);

    /// <summary>A connection that may run admin commands (SCAN, TTL) for checks.</summary>
    public Task<StackExchange.Redis.ConnectionMultiplexer> AdminAsync() =>
        StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Server.Configuration + ",allowAdmin=true");

    /// <summary>Waits, bounded, until <paramref name="condition"/> holds (a connection noticing it was lost or is back).</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        for (var attempt = 0; attempt < 1500; attempt++)
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException(what);
    }
}
