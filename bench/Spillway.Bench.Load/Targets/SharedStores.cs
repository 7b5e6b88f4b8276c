using Spillway.TestSupport.Servers;

namespace Spillway.Bench.Load.Targets;

/// <summary>
/// The Redis and PostgreSQL the shared-store targets run over: a real <c>redis-server</c> and a real PostgreSQL (the
/// tests' own servers, <c>tests/Spillway.TestSupport/Servers</c>) on free loopback ports in throwaway folders, with one
/// fresh database. Started once for every such target, stopped (and the folders removed) on dispose.
/// </summary>
internal sealed class SharedStores : IAsyncDisposable
{
    /// <summary>What <c>spillway serve</c> reads without a <c>storage:</c> section (README "Shared stores").</summary>
    public const string RedisVariable = "SPILLWAY_REDIS";

    public const string PostgresVariable = "SPILLWAY_POSTGRES";

    private readonly RedisServer _redis;
    private readonly PostgresServer _postgres;

    private SharedStores(RedisServer redis, PostgresServer postgres, string postgresConnectionString)
    {
        _redis = redis;
        _postgres = postgres;
        PostgresConnectionString = postgresConnectionString;
    }

    /// <summary>The StackExchange.Redis configuration string: <c>127.0.0.1:PORT</c>.</summary>
    public string RedisConfiguration => _redis.Configuration;

    public int RedisPort => _redis.Port;

    /// <summary>The Npgsql connection string of the one database every instance shares.</summary>
    public string PostgresConnectionString { get; }

    public static async Task<SharedStores> StartAsync()
    {
        var redis = await RedisServer.StartNewAsync();
        PostgresServer? postgres = null;
        try
        {
            postgres = await PostgresServer.StartNewAsync();
            var database = await postgres.CreateDatabaseAsync();
            return new SharedStores(redis, postgres, database);
        }
        catch
        {
            if (postgres is not null)
            {
                await postgres.DisposeAsync();
            }

            await redis.DisposeAsync();
            throw;
        }
    }

    /// <summary>Redis' own counts so far: calls per command and CPU time (<c>INFO cpu commandstats</c>).</summary>
    public Task<Measure.RedisStats> ReadStatsAsync(CancellationToken cancellationToken) =>
        Measure.RedisStats.ReadAsync(_redis.Port, cancellationToken);

    /// <summary>The CPU time PostgreSQL has used so far, all its processes together; null when it is not running.</summary>
    public TimeSpan? PostgresCpuTime() => _postgres.ProcessId is { } postmaster ? Measure.PostgresCpu.Read(postmaster) : null;

    /// <summary>Watches <paramref name="run"/> with MONITOR: which commands were sent, which ran inside scripts.</summary>
    public Task<Measure.RedisSample> WatchAsync(Func<Task<Measure.WrkResult[]>> run, CancellationToken cancellationToken) =>
        Measure.RedisSample.WatchAsync(_redis.Port, run, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _postgres.DisposeAsync();
        }
        finally
        {
            await _redis.DisposeAsync();
        }
    }
}
