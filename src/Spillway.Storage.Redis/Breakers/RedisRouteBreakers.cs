using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Spillway.Core.Configuration;
using Spillway.Core.Failures;
using Spillway.Core.Health;
using Spillway.Core.Ledger;
using StackExchange.Redis;

namespace Spillway.Storage.Redis.Breakers;

/// <summary>
/// Route breakers shared by every instance through Redis: a route opens for all after the configured number of
/// consecutive counted failures wherever they happened, and once its cool-off is over exactly one instance's call
/// is the probe. The hot path reads a mirror of the shared state and touches Redis only where the state is not
/// closed: a closed route (the common case) costs no round trip, a success on it no command unless failures were
/// counted. Every change runs as one atomic script (<see cref="BreakerScripts"/>) and is announced on a channel;
/// the other instances read the route again. While Redis is away the breakers of this instance alone decide
/// (a fresh <see cref="RouteBreakerBook"/>); when it is back the shared state is read again.
/// </summary>
public sealed partial class RedisRouteBreakers : IRouteBreakers
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);
    private readonly RedisConnection _redis;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RouteBreakerBook _local;
    private readonly RedisKey _index;
    private readonly RedisChannel _channel;
    private readonly ConcurrentDictionary<string, BreakerRecord> _mirror = new(StringComparer.Ordinal);
    private readonly PendingWrites _pending = new();

    private RedisRouteBreakers(RedisConnection redis, BreakerConfig config, TimeProvider time, ILogger logger)
    {
        _redis = redis;
        _time = time;
        _logger = logger;
        Config = config;
        _local = new RouteBreakerBook(config, time);
        _index = redis.Key("breakers");
        _channel = redis.Channel("breakers");
    }

    /// <summary>Raised after a route's mirror was read again from Redis (a change announced by any instance).</summary>
    public event Action<string>? Synced;

    public BreakerConfig Config { get; }

    /// <summary>True while Redis holds the breakers; false while this instance decides alone.</summary>
    public bool IsShared => _redis.IsAvailable;

    public IEnumerable<string> Routes => IsShared ? _mirror.Keys : _mirror.Keys.Union(_local.Routes, StringComparer.Ordinal);

    /// <summary>Subscribes to the changes of other instances and reads every shared breaker in force.</summary>
    public static async Task<RedisRouteBreakers> StartAsync(RedisConnection redis, BreakerConfig config, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var breakers = new RedisRouteBreakers(redis, config, time, logger);
        redis.Restored += () => breakers.Track(breakers.ReloadAsync());
        if (redis.IsAvailable)
        {
            await redis.Subscriber.SubscribeAsync(breakers._channel, (_, route) => breakers.Track(breakers.RefreshAsync((string)route!)));
            await breakers.ReloadAsync();
        }
        else
        {
            // Subscribed once Redis answers; StackExchange.Redis restores subscriptions on reconnects after that.
            redis.Restored += () => breakers.Track(breakers.SubscribeLateAsync());
        }

        return breakers;
    }

    public async ValueTask<BreakerAdmission> TryAdmitAsync(string route, CancellationToken cancellationToken)
    {
        if (!IsShared)
        {
            return await _local.TryAdmitAsync(route, cancellationToken);
        }

        var record = _mirror.GetValueOrDefault(route) ?? BreakerRecord.Closed;
        var now = _time.GetUtcNow();
        if (Refusal(record, now) is { } refusal)
        {
            return BreakerAdmission.No(refusal);
        }

        if (record.State == BreakerState.Closed)
        {
            return BreakerAdmission.Yes;
        }

        // The cool-off is over here: Redis decides which instance's call is the one probe.
        try
        {
            var result = (RedisResult[])(await _redis.Database.ScriptEvaluateAsync(
                BreakerScripts.Claim, [Key(route)], [Ms(now), (long)Lifetime.TotalMilliseconds, (long)Config.Open.TotalMilliseconds]))!;
            var admitted = (int)result[0] == 1;
            Track(AnnounceAsync(route));
            return admitted
                ? BreakerAdmission.Yes
                : BreakerAdmission.No(string.Create(CultureInfo.InvariantCulture,
                    $"breaker {(string?)result[1]}: another instance's probe is in flight or the cool-off runs until {DateTimeOffset.FromUnixTimeMilliseconds((long)result[2]):O}; last failure: {(string?)result[5]}"));
        }
        catch (Exception ex) when (RedisConnection.IsOutage(ex))
        {
            return await _local.TryAdmitAsync(route, cancellationToken);
        }
    }

    public BreakerTransition OnSuccess(string route)
    {
        if (!IsShared)
        {
            return _local.OnSuccess(route);
        }

        if (_mirror.GetValueOrDefault(route) is not { } record || (record.State == BreakerState.Closed && record.Failures == 0))
        {
            return BreakerTransition.None;
        }

        Track(RunAsync(route, BreakerScripts.Succeed, [(long)Lifetime.TotalMilliseconds]));
        return BreakerTransition.None;
    }

    public BreakerTransition OnFailure(string route, FailureClassification failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (!IsShared)
        {
            return _local.OnFailure(route, failure);
        }

        if (!RouteBreaker.Counts(failure.Class))
        {
            OnNeutral(route);
            return BreakerTransition.None;
        }

        Track(RunAsync(route, BreakerScripts.Fail,
        [
            Ms(_time.GetUtcNow()), (long)Lifetime.TotalMilliseconds, (long)Config.Open.TotalMilliseconds, Config.Failures,
            (long)(Config.Open > RouteBreaker.MaxBackoff ? Config.Open : RouteBreaker.MaxBackoff).TotalMilliseconds,
            Outcomes.Of(failure.Class), failure.Reason, route,
        ], _index));
        return BreakerTransition.None;
    }

    public void OnNeutral(string route)
    {
        if (!IsShared)
        {
            _local.OnNeutral(route);
            return;
        }

        if (_mirror.GetValueOrDefault(route) is { State: not BreakerState.Closed })
        {
            Track(RunAsync(route, BreakerScripts.Neutral, []));
        }
    }

    public DateTimeOffset NextAdmission(string route)
    {
        if (!IsShared)
        {
            return _local.NextAdmission(route);
        }

        var now = _time.GetUtcNow();
        var at = _mirror.GetValueOrDefault(route) switch
        {
            { State: BreakerState.Open } open => open.OpenUntil,
            { State: BreakerState.HalfOpen, ProbeSince: { } since } => since + Config.Open,
            _ => now,
        };
        return at > now ? at : now;
    }

    public BreakerView View(string route) =>
        !IsShared ? _local.View(route) : (_mirror.GetValueOrDefault(route) ?? BreakerRecord.Closed).View(_time.GetUtcNow());

    public BreakerState Reset(string route)
    {
        var before = View(route).State;
        _local.Reset(route);
        _mirror.TryRemove(route, out _);
        try
        {
            // By hand, from the admin API: done before the answer, for every instance.
            _redis.Database.KeyDelete(Key(route));
            _redis.Subscriber.Publish(_channel, route);
        }
        catch (Exception ex) when (RedisConnection.IsOutage(ex))
        {
            // Redis is away: this instance's breaker is closed; the shared one is read again when Redis is back.
        }

        return before;
    }

    /// <summary>Waits for this instance's writes to Redis and the reads they started (for tests and shutdown).</summary>
    public Task FlushAsync() => _pending.FlushAsync();

    /// <summary>Reads one route's shared breaker into the mirror.</summary>
    public async Task RefreshAsync(string route)
    {
        try
        {
            var fields = await _redis.Database.HashGetAllAsync(Key(route));
            if (fields.Length == 0)
            {
                _mirror.TryRemove(route, out _);
            }
            else
            {
                _mirror[route] = BreakerRecord.From(fields);
            }
        }
        catch (Exception ex) when (RedisConnection.IsOutage(ex))
        {
            // Redis is away: the local breakers decide until it is back, then everything is read again.
            return;
        }

        Synced?.Invoke(route);
    }

    /// <summary>Why the mirror already says no (open with its cool-off running, or another call's probe in flight), else null.</summary>
    private string? Refusal(BreakerRecord record, DateTimeOffset now) => record switch
    {
        { State: BreakerState.Open } when now < record.OpenUntil =>
            $"breaker open until {record.OpenUntil:O} after {record.Failures} consecutive failures; last: {record.LastFailure?.Reason}",
        { State: BreakerState.HalfOpen, ProbeSince: { } since } when now < since + Config.Open =>
            $"breaker half-open: a probe has been in flight since {since:O}; last failure: {record.LastFailure?.Reason}",
        _ => null,
    };

    private async Task RunAsync(string route, string script, RedisValue[] arguments, RedisKey? index = null)
    {
        RedisKey[] keys = index is { } i ? [Key(route), i] : [Key(route)];
        try
        {
            var result = (string?)await _redis.Database.ScriptEvaluateAsync(script, keys, arguments);
            if (result is "opened" or "reopened" or "closed")
            {
                var view = (await ReadAsync(route)).View(_time.GetUtcNow());
                Log.BreakerMoved(_logger, route, result, view.OpenUntil, view.LastFailure?.Reason);
            }
        }
        catch (Exception ex) when (RedisConnection.IsOutage(ex))
        {
            return;
        }

        await AnnounceAsync(route);
    }

    private async Task<BreakerRecord> ReadAsync(string route)
    {
        await RefreshAsync(route);
        return _mirror.GetValueOrDefault(route) ?? BreakerRecord.Closed;
    }

    private async Task AnnounceAsync(string route)
    {
        await RefreshAsync(route);
        try
        {
            await _redis.Subscriber.PublishAsync(_channel, route);
        }
        catch (Exception ex) when (RedisConnection.IsOutage(ex))
        {
            // The others read everything again when they see Redis back.
        }
    }

    private async Task ReloadAsync()
    {
        try
        {
            var routes = await _redis.Database.SetMembersAsync(_index);
            _mirror.Clear();
            foreach (var route in routes)
            {
                await RefreshAsync((string)route!);
            }
        }
        catch (Exception ex) when (RedisConnection.IsOutage(ex))
        {
            // Still away; the next restore reads again.
        }
    }

    private async Task SubscribeLateAsync()
    {
        await _redis.Subscriber.SubscribeAsync(_channel, (_, route) => Track(RefreshAsync((string)route!)));
        await ReloadAsync();
    }

    private void Track(Task task) => _pending.Track(task);

    private RedisKey Key(string route) => _redis.Key("breaker:" + route);

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static partial class Log
    {
        [LoggerMessage(EventId = 710, Level = LogLevel.Warning, Message = "Route {Route} breaker {Transition}, shared by every instance (open until {Until:O}; last failure: {Reason})")]
        public static partial void BreakerMoved(ILogger logger, string route, string transition, DateTimeOffset? until, string? reason);
    }
}
