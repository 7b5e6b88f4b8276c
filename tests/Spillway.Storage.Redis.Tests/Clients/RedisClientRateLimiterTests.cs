using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Spillway.Storage.Redis.Clients;
using Spillway.TestSupport.Servers;
using StackExchange.Redis;

namespace Spillway.Storage.Redis.Tests.Clients;

public sealed class RedisClientRateLimiterTests(RedisClientRateLimiterTests.Server server) : IClassFixture<RedisClientRateLimiterTests.Server>, IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..8] + ":";
    private readonly List<RedisConnection> _connections = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task TryAcquireAsync_ThirtyConcurrentOverThreeInstances_AdmitsExactlyTheLimit()
    {
        var instances = new[] { await Instance(), await Instance(), await Instance() };

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => instances[i % 3].TryAcquireAsync("team", 6).AsTask()));

        Assert.Equal(6, results.Count(r => r.Admitted));
    }

    [Fact]
    public async Task TryAcquireAsync_OverTheLimit_SaysWhenTheOldestRequestLeavesTheWindow()
    {
        var (a, b) = (await Instance(), await Instance());
        Assert.True((await a.TryAcquireAsync("team", 2)).Admitted);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.True((await b.TryAcquireAsync("team", 2)).Admitted);
        _time.Advance(TimeSpan.FromSeconds(10));

        var refused = await a.TryAcquireAsync("team", 2);

        Assert.False(refused.Admitted);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.RetryAfter);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True((await b.TryAcquireAsync("team", 2)).Admitted);
        Assert.False((await b.TryAcquireAsync("team", 2)).Admitted);
    }

    [Fact]
    public async Task TryAcquireAsync_ClientsAndLimits_CountApart()
    {
        var a = await Instance();
        Assert.True((await a.TryAcquireAsync("one", 1)).Admitted);

        Assert.True((await a.TryAcquireAsync("two", 1)).Admitted);
        Assert.True((await a.TryAcquireAsync("one", 5)).Admitted);
        Assert.False((await a.TryAcquireAsync("one", 1)).Admitted);
    }

    [Fact]
    public async Task TryAcquireAsync_Window_ExpiresByItself()
    {
        var a = await Instance();
        await a.TryAcquireAsync("team", 3);
        await using var admin = await ConnectionMultiplexer.ConnectAsync(server.Redis.Configuration);

        var ttl = await admin.GetDatabase().KeyTimeToLiveAsync(_prefix + "client-rpm:team:3");

        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
    }

    private async Task<RedisClientRateLimiter> Instance()
    {
        var connection = await RedisConnection.ConnectAsync(server.Redis.Configuration, NullLogger.Instance, _prefix);
        _connections.Add(connection);
        return new RedisClientRateLimiter(connection, _time);
    }

    /// <summary>One redis-server for the class; each test writes under its own key prefix.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public RedisServer Redis { get; private set; } = null!;

        public async Task InitializeAsync() => Redis = await RedisServer.StartNewAsync();

        public async Task DisposeAsync() => await Redis.DisposeAsync();
    }
}
