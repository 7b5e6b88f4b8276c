using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Configuration;
using Spillway.Hosting;
using Spillway.Simulator;
using Spillway.TestSupport;
using Spillway.TestSupport.Servers;

namespace Spillway.Tests.Support;

/// <summary>
/// Several real gateways (Kestrel on 127.0.0.1:0 each, one process) in front of the same provider simulators, sharing
/// live key state through one real redis-server, on one fake clock: the scale-out mode as a load balancer sees it.
/// Each instance keeps its own data folder; the ledger is one PostgreSQL database when the test asks for it.
/// </summary>
internal sealed class GatewayCluster : IAsyncDisposable
{
    private readonly List<WebApplication> _apps;
    private readonly List<TempDirectory> _folders;

    private PostgresServer? _postgres;

    private GatewayCluster(ProviderSimulator simulator, RedisServer redis, List<WebApplication> apps, List<TempDirectory> folders, FakeTimeProvider time)
    {
        Simulator = simulator;
        Redis = redis;
        Time = time;
        _apps = apps;
        _folders = folders;
        Instances = [.. apps.Select(a => new HttpClient { BaseAddress = a.BoundAddress(), Timeout = TimeSpan.FromSeconds(30) })];
    }

    public ProviderSimulator Simulator { get; }

    public RedisServer Redis { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>One HTTP client per instance.</summary>
    public IReadOnlyList<HttpClient> Instances { get; }

    public SimulatedProvider this[string provider] => Simulator[provider];

    /// <summary>The services of instance <paramref name="index"/>.</summary>
    public IServiceProvider Services(int index) => _apps[index].Services;

    public static async Task<GatewayCluster> StartAsync(
        int instances,
        IReadOnlyList<SimulatedProvider> providers,
        Func<SpillwayConfig, SpillwayConfig>? configure = null,
        RedisServer? redis = null,
        bool postgres = false)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var simulator = await ProviderSimulator.StartAsync(providers, time);
        redis ??= await RedisServer.StartNewAsync();
        var config = new SpillwayConfig
        {
            Source = "test",
            Providers = [.. providers.Select(p => TestGateway.ProviderFor(simulator, p))],
            Models = [new ModelAliasConfig("chain", RoutingStrategy.Ordered, [.. providers.Select(p => p.Name + "/" + TestGateway.DefaultModel(p.Style))])],
        };
        config = configure?.Invoke(config) ?? config;
        config = config with { Storage = config.Storage with { Redis = new Spillway.Core.Providers.Secret(redis.Configuration) } };
        var records = postgres ? await PostgresServer.StartNewAsync() : null;
        if (records is not null)
        {
            config = config with { Storage = config.Storage with { Postgres = new Spillway.Core.Providers.Secret(await records.CreateDatabaseAsync()) } };
        }

        var apps = new List<WebApplication>();
        var folders = new List<TempDirectory>();
        for (var i = 0; i < instances; i++)
        {
            var folder = new TempDirectory(create: false);
            folders.Add(folder);
            var app = SpillwayApp.Build(new SpillwayAppOptions
            {
                Config = config,
                Urls = "http://127.0.0.1:0",
                DataDirectory = folder.Path,
                Time = time,
                LedgerBatchWindowTime = TimeProvider.System,
                LogLevel = LogLevel.Warning,
            });
            await app.StartAsync();
            apps.Add(app);
        }

        return new GatewayCluster(simulator, redis, apps, folders, time) { _postgres = records };
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in Instances)
        {
            client.Dispose();
        }

        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        await Simulator.DisposeAsync();
        await Redis.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        foreach (var folder in _folders)
        {
            folder.Dispose();
        }
    }
}
