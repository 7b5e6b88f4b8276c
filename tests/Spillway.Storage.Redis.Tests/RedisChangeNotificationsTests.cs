using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Spillway.Storage.Redis.Tests.Support;
using Spillway.TestSupport.Servers;

namespace Spillway.Storage.Redis.Tests;

public sealed class RedisChangeNotificationsTests(RedisTestServer redis) : IClassFixture<RedisTestServer>
{
    private readonly string _prefix = RedisTestServer.FreshPrefix();

    [Fact]
    public async Task PublishAsync_ClientRemovedOnA_ReachesBAndCNotA()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        await using var c = await StartAsync();

        Assert.True(await a.Notifications.PublishAsync(StoredChange.Clients));
        Assert.True(await Eventually.TrueAsync(() => b.Heard.Count == 1 && c.Heard.Count == 1));

        // A hears B's later message: had its own earlier one come back to it, it would have arrived first.
        Assert.True(await b.Notifications.PublishAsync(StoredChange.Keys));
        Assert.True(await Eventually.TrueAsync(() => a.Heard.Count == 1 && c.Heard.Count == 2));
        Assert.Equal([StoredChange.Keys], a.Heard);
        Assert.Equal([StoredChange.Clients], b.Heard);
        Assert.Equal([StoredChange.Clients, StoredChange.Keys], c.Heard);
    }

    [Fact]
    public async Task Subscribe_Disposed_NoLongerCalledWhileOthersAre()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        var late = new ConcurrentQueue<StoredChange>();
        var subscription = b.Notifications.Subscribe(change =>
        {
            late.Enqueue(change);
            return Task.CompletedTask;
        });
        await a.Notifications.PublishAsync(StoredChange.Keys);
        Assert.True(await Eventually.TrueAsync(() => late.Count == 1));

        subscription.Dispose();
        await a.Notifications.PublishAsync(StoredChange.Clients);

        Assert.True(await Eventually.TrueAsync(() => b.Heard.Count == 2));
        Assert.Equal([StoredChange.Keys], late);
    }

    [Fact]
    public async Task Subscribe_HandlerThrows_OthersStillCalledAndLaterMessagesDelivered()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        using var failing = b.Notifications.Subscribe(_ => throw new InvalidOperationException("reader broke"));

        await a.Notifications.PublishAsync(StoredChange.Keys);
        await a.Notifications.PublishAsync(StoredChange.Clients);

        Assert.True(await Eventually.TrueAsync(() => b.Heard.Count == 2));
        Assert.Equal([StoredChange.Keys, StoredChange.Clients], b.Heard);
    }

    [Fact]
    public async Task PublishAsync_RedisUnreachable_FalseWithoutThrowing()
    {
        await using var connection = await RedisConnection.ConnectAsync(
            "127.0.0.1:" + LoopbackPort.Free() + ",connectTimeout=200", NullLogger.Instance, _prefix);
        await using var notifications = new RedisChangeNotifications(connection, NullLogger.Instance);

        await notifications.StartAsync();

        Assert.False(notifications.IsListening);
        Assert.False(await notifications.PublishAsync(StoredChange.Clients));
    }

    private async Task<Listener> StartAsync()
    {
        var connection = await RedisConnection.ConnectAsync(redis.Server.Configuration, NullLogger.Instance, _prefix);
        var notifications = new RedisChangeNotifications(connection, NullLogger.Instance);
        var listener = new Listener(connection, notifications);
        notifications.Subscribe(change =>
        {
            listener.Heard.Enqueue(change);
            return Task.CompletedTask;
        });
        await notifications.StartAsync();
        Assert.True(notifications.IsListening);
        return listener;
    }

    private sealed class Listener(RedisConnection connection, RedisChangeNotifications notifications) : IAsyncDisposable
    {
        public RedisChangeNotifications Notifications => notifications;

        public ConcurrentQueue<StoredChange> Heard { get; } = new();

        public async ValueTask DisposeAsync()
        {
            await notifications.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
