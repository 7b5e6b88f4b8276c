using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Spillway.Storage.Redis.Tests.Support;

/// <summary>One gateway instance's key state: its own Redis connection and a started <see cref="RedisKeyStateStore"/>.</summary>
public sealed class KeyStateInstance : IAsyncDisposable
{
    private KeyStateInstance(RedisConnection connection, RedisKeyStateStore store)
    {
        Connection = connection;
        Store = store;
    }

    public RedisConnection Connection { get; }

    public RedisKeyStateStore Store { get; }

    public static async Task<KeyStateInstance> StartAsync(string configuration, string prefix, FakeTimeProvider time)
    {
        var connection = await RedisConnection.ConnectAsync(configuration, NullLogger.Instance, prefix);
        var store = new RedisKeyStateStore(connection, time, NullLogger.Instance);
        await store.StartAsync();
        return new KeyStateInstance(connection, store);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
