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
    private readonly List<WebApplication> _apps = [];
    private readonly List<TempDirectory> _folders = [];
    private readonly List<HttpClient> _instances = [];

    private PostgresServer? _postgres;

    private GatewayCluster(ProviderSimulator simulator, RedisServer redis, FakeTimeProvider time)
    {
        Simulator = simulator;
        Redis = redis;
        Time = time;
    }

    public ProviderSimulator Simulator { get; }

    public RedisServer Redis { get; }

    /// <summary>The PostgreSQL server of the ledger, when the test asked for one.</summary>
    public PostgresServer? Postgres => _postgres;

    public FakeTimeProvider Time { get; }

    /// <summary>One HTTP client per instance.</summary>
    public IReadOnlyList<HttpClient> Instances => _instances;

    public SimulatedProvider this[string provider] => Simulator[provider];

    /// <summary>The services of instance <paramref name="index"/>.</summary>
    public IServiceProvider Services(int index) => _apps[index].Services;

    public static async Task<GatewayCluster> StartAsync(
        int instances,
        IReadOnlyList<SimulatedProvider> providers,
        Func<SpillwayConfig, SpillwayConfig>? configure = null,
        RedisServer? redis = null,
        bool postgres = false,
        Func<SpillwayAppOptions, SpillwayAppOptions>? host = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var simulator = await ProviderSimulator.StartAsync(providers, time);
        try
        {
            redis ??= await RedisServer.StartNewAsync();
        }
        catch
        {
            await simulator.DisposeAsync();
            throw;
        }

        // From here on a failure to start stops (and removes) whatever was started, as disposing the cluster does.
        var cluster = new GatewayCluster(simulator, redis, time);
        try
        {
            await cluster.StartInstancesAsync(instances, providers, configure, postgres, host);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task StartInstancesAsync(
        int instances,
        IReadOnlyList<SimulatedProvider> providers,
        Func<SpillwayConfig, SpillwayConfig>? configure,
        bool postgres,
        Func<SpillwayAppOptions, SpillwayAppOptions>? host)
    {
        var simulator = Simulator;
        var config = new SpillwayConfig
        {
            Source = "test",
            Providers = [.. providers.Select(p => TestGateway.ProviderFor(simulator, p))],
            Models = [new ModelAliasConfig("chain", RoutingStrategy.Ordered, [.. providers.Select(p => p.Name + "/" + TestGateway.DefaultModel(p.Style))])],
        };
        config = configure?.Invoke(config) ?? config;
        config = config with { Storage = config.Storage with { Redis = new Spillway.Core.Providers.Secret(Redis.Configuration) } };
        if (postgres)
        {
            _postgres = await PostgresServer.StartNewAsync();
            config = config with { Storage = config.Storage with { Postgres = new Spillway.Core.Providers.Secret(await _postgres.CreateDatabaseAsync()) } };
        }

        for (var i = 0; i < instances; i++)
        {
            var folder = new TempDirectory(create: false);
            _folders.Add(folder);
            var options = new SpillwayAppOptions
            {
                Config = config,
                Urls = "http://127.0.0.1:0",
                DataDirectory = folder.Path,
                Time = Time,
                LedgerBatchWindowTime = TimeProvider.System,
                LogLevel = LogLevel.Warning,
            };
            var app = SpillwayApp.Build(host?.Invoke(options) ?? options);
            _apps.Add(app);
            await app.StartAsync();
            _instances.Add(new HttpClient { BaseAddress = app.BoundAddress(), Timeout = TimeSpan.FromSeconds(30) });
        }
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
