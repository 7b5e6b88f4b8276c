using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Configuration;
using Spillway.Core.Failures;
using Spillway.Core.Health;
using Spillway.Storage.Redis.Breakers;
using Spillway.TestSupport.Servers;
using StackExchange.Redis;

namespace Spillway.Storage.Redis.Tests.Breakers;

public sealed class RedisRouteBreakersTests(RedisRouteBreakersTests.Server server) : IClassFixture<RedisRouteBreakersTests.Server>, IAsyncLifetime
{
    private const string Route = "groq/llama";
    private static readonly BreakerConfig Config = new(Failures: 3, Open: TimeSpan.FromSeconds(30));
    private static readonly FailureClassification Overloaded = new(FailureClass.Overloaded, "503 from groq");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..8] + ":";
    private readonly List<RedisConnection> _connections = [];

    public async Task InitializeAsync() => await Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task OnFailure_FailuresOnTwoInstances_OpenTheRouteForAThird()
    {
        var (a, b, c) = (await Instance(), await Instance(), await Instance());

        a.OnFailure(Route, Overloaded);
        b.OnFailure(Route, Overloaded);
        a.OnFailure(Route, Overloaded);
        await Settle(a, b, c);

        var admission = await c.TryAdmitAsync(Route, CancellationToken.None);
        Assert.False(admission.Admitted);
        Assert.Contains("breaker open until", admission.Refusal, StringComparison.Ordinal);
        Assert.Equal(BreakerState.Open, c.View(Route).State);
        Assert.Equal(_time.GetUtcNow() + Config.Open, c.NextAdmission(Route));
    }

    [Fact]
    public async Task TryAdmitAsync_CoolOffOver_AdmitsExactlyOneProbeAcrossInstances()
    {
        var instances = new[] { await Instance(), await Instance(), await Instance() };
        await Open(instances);
        _time.Advance(Config.Open);

        var admissions = await Task.WhenAll(instances.SelectMany(i => Enumerable.Range(0, 5).Select(_ => i.TryAdmitAsync(Route, CancellationToken.None).AsTask())));

        Assert.Single(admissions, x => x.Admitted);
    }

    [Fact]
    public async Task OnSuccess_ProbeServedOnOneInstance_ClosesTheRouteForAll()
    {
        var (a, b) = (await Instance(), await Instance());
        await Open(a, b);
        _time.Advance(Config.Open);
        Assert.True((await b.TryAdmitAsync(Route, CancellationToken.None)).Admitted);
        await Settle(a, b);
        Assert.False((await a.TryAdmitAsync(Route, CancellationToken.None)).Admitted);

        b.OnSuccess(Route);
        await Settle(a, b);

        Assert.True((await a.TryAdmitAsync(Route, CancellationToken.None)).Admitted);
        Assert.Equal(BreakerState.Closed, a.View(Route).State);
    }

    [Fact]
    public async Task OnFailure_ProbeFails_ReopensWithADoubledCoolOffForAll()
    {
        var (a, b) = (await Instance(), await Instance());
        await Open(a, b);
        _time.Advance(Config.Open);
        Assert.True((await a.TryAdmitAsync(Route, CancellationToken.None)).Admitted);

        a.OnFailure(Route, Overloaded);
        await Settle(a, b);

        Assert.Equal(_time.GetUtcNow() + (2 * Config.Open), b.View(Route).OpenUntil);
    }

    [Fact]
    public async Task OnNeutral_ProbeSaidNothing_AnotherInstanceMayProbe()
    {
        var (a, b) = (await Instance(), await Instance());
        await Open(a, b);
        _time.Advance(Config.Open);
        Assert.True((await a.TryAdmitAsync(Route, CancellationToken.None)).Admitted);
        await Settle(a, b);

        a.OnNeutral(Route);
        await Settle(a, b);

        Assert.True((await b.TryAdmitAsync(Route, CancellationToken.None)).Admitted);
    }

    [Fact]
    public async Task Changes_AnnouncedOnTheChannel_ReachAnotherInstanceWithoutAsking()
    {
        var (a, b) = (await Instance(), await Instance());
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        b.Synced += route =>
        {
            if (route == Route && b.View(Route).State == BreakerState.Open)
            {
                opened.TrySetResult();
            }
        };

        for (var i = 0; i < Config.Failures; i++)
        {
            a.OnFailure(Route, Overloaded);
        }

        await opened.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False((await b.TryAdmitAsync(Route, CancellationToken.None)).Admitted);
    }

    [Fact]
    public async Task TryAdmitAsync_ClosedRoute_SendsNoCommandToRedis()
    {
        var a = await Instance();
        await using var admin = await ConnectionMultiplexer.ConnectAsync(server.Redis.Configuration + ",allowAdmin=true");
        var redis = admin.GetServer(admin.GetEndPoints()[0]);
        var before = await CommandsProcessed(redis);

        for (var i = 0; i < 100; i++)
        {
            Assert.True((await a.TryAdmitAsync(Route, CancellationToken.None)).Admitted);
            a.OnSuccess(Route);
        }

        await a.FlushAsync();
        Assert.Equal(before, await CommandsProcessed(redis));
    }

    [Fact]
    public async Task Reset_OnOneInstance_ClosesTheRouteEverywhere()
    {
        var (a, b) = (await Instance(), await Instance());
        await Open(a, b);

        Assert.Equal(BreakerState.Open, a.Reset(Route));
        await b.RefreshAsync(Route);

        Assert.True((await b.TryAdmitAsync(Route, CancellationToken.None)).Admitted);
    }

    [Fact]
    public async Task StartAsync_LaterInstance_ReadsTheBreakersInForce()
    {
        var a = await Instance();
        await Open(a);

        var late = await Instance();

        Assert.Equal(BreakerState.Open, late.View(Route).State);
        Assert.Contains(Route, late.Routes);
    }

    [Fact]
    public async Task OnFailure_SharedHash_ExpiresByItself()
    {
        var a = await Instance();
        await Open(a);
        await using var admin = await ConnectionMultiplexer.ConnectAsync(server.Redis.Configuration);

        var ttl = await admin.GetDatabase().KeyTimeToLiveAsync(_prefix + "breaker:" + Route);
        var indexTtl = await admin.GetDatabase().KeyTimeToLiveAsync(_prefix + "breakers");

        Assert.InRange(ttl!.Value, TimeSpan.FromHours(23), TimeSpan.FromDays(1));
        Assert.InRange(indexTtl!.Value, TimeSpan.FromHours(23), TimeSpan.FromDays(1));
    }

    private async Task<RedisRouteBreakers> Instance()
    {
        var connection = await RedisConnection.ConnectAsync(server.Redis.Configuration, NullLogger.Instance, _prefix);
        _connections.Add(connection);
        return await RedisRouteBreakers.StartAsync(connection, Config, _time, NullLogger.Instance);
    }

    private async Task Open(params RedisRouteBreakers[] instances)
    {
        for (var i = 0; i < Config.Failures; i++)
        {
            instances[0].OnFailure(Route, Overloaded);
        }

        await Settle(instances);
        Assert.All(instances, i => Assert.Equal(BreakerState.Open, i.View(Route).State));
    }

    /// <summary>Every instance's writes done, then every mirror read again: no wait on the channel's timing.</summary>
    private static async Task Settle(params RedisRouteBreakers[] instances)
    {
        foreach (var instance in instances)
        {
            await instance.FlushAsync();
        }

        foreach (var instance in instances)
        {
            await instance.RefreshAsync(Route);
        }
    }

    /// <summary>How many scripts, hash reads and writes and publishes the server ran: what a breaker would send
    /// (keep-alive pings and INFO itself are left out).</summary>
    private static async Task<long> CommandsProcessed(IServer redis)
    {
        var stats = await redis.InfoAsync("commandstats");
        string[] commands = ["eval", "evalsha", "hgetall", "hset", "del", "publish", "smembers"];
        return stats.SelectMany(g => g)
            .Where(p => commands.Any(c => p.Key == "cmdstat_" + c))
            .Sum(p => long.Parse(p.Value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>One redis-server for the class; each test writes under its own key prefix.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public RedisServer Redis { get; private set; } = null!;

        public async Task InitializeAsync() => Redis = await RedisServer.StartNewAsync();

        public async Task DisposeAsync() => await Redis.DisposeAsync();
    }
}
