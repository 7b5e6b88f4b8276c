using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Spillway.Storage.Redis;

/// <summary>
/// One instance's connection to the shared Redis: one multiplexer (it pipelines every command of every request on
/// one socket), the key prefix every store writes under, and whether Redis is reachable right now. It never fails a
/// request: when Redis is away the stores fall back to this instance's own state and say so (<see cref="IsAvailable"/>),
/// and the multiplexer reconnects by itself.
/// </summary>
public sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _multiplexer;
    private readonly ILogger _logger;
    private readonly List<RedisScript> _scripts = [];

    private RedisConnection(ConnectionMultiplexer multiplexer, string prefix, string endpoint, ILogger logger)
    {
        _multiplexer = multiplexer;
        Prefix = prefix;
        Endpoint = endpoint;
        _logger = logger;
        multiplexer.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                Log.Lost(_logger, Endpoint, e.FailureType.ToString());
            }
        };
        multiplexer.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                Log.Restored(_logger, Endpoint);
                LoadScripts(CommandFlags.FireAndForget);
                Restored?.Invoke();
            }
        };
    }

    /// <summary>Raised when Redis is reachable again after it was lost: stores re-join the shared state.</summary>
    public event Action? Restored;

    /// <summary>What every key starts with, so several deployments (or tests) can share one Redis.</summary>
    public string Prefix { get; }

    /// <summary>The server's address for the banner and the health check: never the password.</summary>
    public string Endpoint { get; }

    /// <summary>True while the connection to Redis is up.</summary>
    public bool IsAvailable => _multiplexer.IsConnected;

    public IDatabase Database => _multiplexer.GetDatabase();

    public ISubscriber Subscriber => _multiplexer.GetSubscriber();

    /// <summary>
    /// Connects to <paramref name="configuration"/> (a StackExchange.Redis configuration string). Does not fail when
    /// Redis is unreachable at start: the instance serves on its own state until Redis answers.
    /// </summary>
    public static async Task<RedisConnection> ConnectAsync(string configuration, ILogger logger, string prefix = "spillway:")
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ClientName ??= "spillway";
        var endpoint = options.EndPoints.Count > 0 ? Format(options.EndPoints[0]) : "redis";
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(options);
        var connection = new RedisConnection(multiplexer, prefix, endpoint, logger);
        if (!multiplexer.IsConnected)
        {
            Log.Unreachable(logger, endpoint);
        }

        return connection;
    }

    /// <summary>True for the exceptions that mean Redis did not answer (refused, lost, timed out): the caller goes on
    /// with its own state instead of failing the request.</summary>
    public static bool IsOutage(Exception exception) => exception is RedisException or RedisTimeoutException or TimeoutException;

    /// <summary>
    /// Keeps <paramref name="scripts"/> loaded in Redis: now, after every reconnection (a restarted Redis has none),
    /// and when an awaited call finds one missing. Sent ahead of the commands that use them on the same connection.
    /// </summary>
    public void Preload(params RedisScript[] scripts)
    {
        lock (_scripts)
        {
            foreach (var script in scripts)
            {
                if (!_scripts.Contains(script))
                {
                    _scripts.Add(script);
                }
            }
        }

        if (IsAvailable)
        {
            Load(scripts, CommandFlags.FireAndForget);
        }
    }

    /// <summary>Loads every preloaded script again; waits unless <paramref name="flags"/> says fire-and-forget.</summary>
    public void LoadScripts(CommandFlags flags = CommandFlags.None) => Load(Preloaded(), flags);

    /// <summary>The full key for <paramref name="name"/> under this connection's prefix.</summary>
    public RedisKey Key(string name) => Prefix + name;

    /// <summary>The full pub/sub channel for <paramref name="name"/> under this connection's prefix.</summary>
    public RedisChannel Channel(string name) => RedisChannel.Literal(Prefix + name);

    public async ValueTask DisposeAsync() => await _multiplexer.DisposeAsync();

    private RedisScript[] Preloaded()
    {
        lock (_scripts)
        {
            return [.. _scripts];
        }
    }

    private void Load(RedisScript[] scripts, CommandFlags flags)
    {
        try
        {
            foreach (var server in _multiplexer.GetServers())
            {
                foreach (var script in scripts)
                {
                    server.ScriptLoad(script.Text, flags);
                }
            }
        }
        catch (Exception e) when (IsOutage(e))
        {
            // Loaded again when the connection is restored.
        }
    }

    private static string Format(System.Net.EndPoint endpoint) => endpoint switch
    {
        System.Net.DnsEndPoint dns => dns.Host + ":" + dns.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => endpoint.ToString() ?? "redis",
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "Redis at {Endpoint} is unreachable; this instance serves on its own key state until it answers")]
        public static partial void Unreachable(ILogger logger, string endpoint);

        [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Lost Redis at {Endpoint} ({Failure}); this instance serves on its own key state until it returns")]
        public static partial void Lost(ILogger logger, string endpoint, string failure);

        [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "Redis at {Endpoint} is back; shared key state again")]
        public static partial void Restored(ILogger logger, string endpoint);
    }
}
