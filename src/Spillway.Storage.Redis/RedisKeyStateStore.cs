using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Spillway.Core.KeyState;
using StackExchange.Redis;

namespace Spillway.Storage.Redis;

/// <summary>
/// Key cooldowns, <c>key_rejected</c> states and rejection counts shared by every instance through one Redis.
/// <para>
/// Reads never leave the process: <see cref="GetCooldown"/> and <see cref="ActiveCooldowns"/> answer from a local
/// mirror. Every change is applied to the mirror at once, then written to Redis without waiting (a script keeps the
/// longer cooldown, so a later reset never shortens a longer one on any instance) and published on the
/// <c>keystate</c> channel, from which every other instance applies it to its own mirror. At
/// <see cref="StartAsync"/> and whenever Redis comes back, the mirror is reloaded from Redis and the cooldowns this
/// instance holds that Redis lacks are written back.
/// </para>
/// <para>
/// In Redis, one hash per key (<see cref="KeyStateHash"/>), which expires when its longest cooldown ends and not
/// before <see cref="RejectionRetention"/> after a rejection was counted; on the channel, <see cref="KeyStateMessage"/>s.
/// </para>
/// <para>
/// Without Redis the store keeps working on this instance's own state (<see cref="IsShared"/> is false); it never
/// throws and never makes a request wait for Redis.
/// </para>
/// </summary>
public sealed partial class RedisKeyStateStore : IKeyStateStore, IAsyncDisposable
{
    /// <summary>How long a rejection count outlives its last rejection: longer than the longest re-check (6 h).</summary>
    public static readonly TimeSpan RejectionRetention = TimeSpan.FromDays(1);

    private readonly RedisConnection _connection;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly InMemoryKeyStateStore _mirror = new();
    private readonly ConcurrentDictionary<string, int> _rejections = new(StringComparer.Ordinal);
    private readonly PendingWrites _pending = new();
    private readonly RedisChannel _channel;
    private readonly string _hashPrefix;
    private ChannelMessageQueue? _messages;
    private int _subscribing;

    // Moves on at every forget or reset: a count Redis answers for a rejection counted before it is stale.
    private int _forgets;

    public RedisKeyStateStore(RedisConnection connection, TimeProvider time, ILogger logger, string? instanceId = null)
    {
        _connection = connection;
        _time = time;
        _logger = logger;
        InstanceId = instanceId ?? Guid.NewGuid().ToString("N");
        _channel = connection.Channel("keystate");
        _hashPrefix = connection.Prefix + "keystate:";
        connection.Restored += OnRestored;
    }

    /// <summary>This instance's id in every message it publishes: its own messages are not applied twice.</summary>
    public string InstanceId { get; }

    /// <summary>True while Redis is reachable and changes reach the other instances; false while this instance
    /// works on its own state.</summary>
    public bool IsShared => _connection.IsAvailable && _messages is not null && _connection.Subscriber.IsConnected(_channel);

    /// <summary>
    /// Subscribes to the other instances' changes, then loads the cooldowns in force from Redis. Never throws: when
    /// Redis is away, the store starts on its own state and joins when <see cref="RedisConnection.Restored"/> fires.
    /// </summary>
    public async Task StartAsync()
    {
        if (!_connection.IsAvailable)
        {
            return;
        }

        await SubscribeAsync();
        await ReloadAsync();
    }

    /// <summary>
    /// Reads every cooldown and rejection count in Redis into the mirror (the later end wins), then writes back the
    /// cooldowns this instance holds that Redis lacks (it may have lost them, or never seen them while it was away).
    /// </summary>
    public async Task ReloadAsync()
    {
        if (!_connection.IsAvailable)
        {
            return;
        }

        try
        {
            var now = _time.GetUtcNow();
            var database = _connection.Database;
            var pattern = KeyStateHash.PatternFor(_hashPrefix);
            var cursor = "0";
            do
            {
                var page = (RedisResult[])(await database.ExecuteAsync("SCAN", cursor, "MATCH", pattern, "COUNT", 500))!;
                cursor = (string)page[0]!;
                var keys = (RedisKey[])page[1]!;
                var reads = new Task<HashEntry[]>[keys.Length];
                for (var i = 0; i < keys.Length; i++)
                {
                    reads[i] = database.HashGetAllAsync(keys[i]);
                }

                for (var i = 0; i < keys.Length; i++)
                {
                    Load(((string)keys[i]!)[_hashPrefix.Length..], KeyStateHash.Read(await reads[i], now));
                }
            }
            while (cursor != "0");

            var writes = new List<(string KeyId, KeyCooldown Cooldown, Task<RedisResult> Write)>();
            foreach (var (keyId, cooldown) in _mirror.ActiveCooldowns(now))
            {
                writes.Add((keyId, cooldown, KeyStateHash.WriteCooldownAsync(database, HashKey(keyId), cooldown, now)));
            }

            foreach (var (keyId, cooldown, write) in writes)
            {
                if ((int)await write == 1)
                {
                    await _connection.Subscriber.PublishAsync(_channel, KeyStateMessage.ForSet(InstanceId, keyId, cooldown));
                }
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException or InvalidCastException or ObjectDisposedException)
        {
            Log.ReloadFailed(_logger, e.GetType().Name);
        }
    }

    /// <summary>Waits until every write and publish this store started has been answered (or failed).</summary>
    public Task FlushAsync() => _pending.FlushAsync();

    public KeyCooldown? GetCooldown(string keyId, string model, DateTimeOffset now) => _mirror.GetCooldown(keyId, model, now);

    public IReadOnlyList<(string KeyId, KeyCooldown Cooldown)> ActiveCooldowns(DateTimeOffset now) => _mirror.ActiveCooldowns(now);

    public void SetCooldown(string keyId, KeyCooldown cooldown)
    {
        _mirror.SetCooldown(keyId, cooldown);
        var now = _time.GetUtcNow();
        if (cooldown.Until > now && _connection.IsAvailable)
        {
            Track(SetInRedisAsync(keyId, cooldown, now));
        }
    }

    public void Clear(string keyId, string? model)
    {
        _mirror.Clear(keyId, model);
        if (_connection.IsAvailable)
        {
            var field = KeyStateHash.CooldownField(model);
            Track(SendAsync(database => database.HashDeleteAsync(HashKey(keyId), field), KeyStateMessage.ForClear(InstanceId, keyId, model)));
        }
    }

    public int Reset(string keyId, DateTimeOffset now)
    {
        Interlocked.Increment(ref _forgets);
        _rejections.TryRemove(keyId, out _);
        var ended = _mirror.Reset(keyId, now);
        if (_connection.IsAvailable)
        {
            Track(SendAsync(database => database.KeyDeleteAsync(HashKey(keyId)), KeyStateMessage.ForReset(InstanceId, keyId)));
        }

        return ended;
    }

    /// <summary>
    /// Counts on this instance at once (its count includes the rejections the others published), and in Redis
    /// (<c>HINCRBY</c>), whose count across every instance then corrects this one's and is published.
    /// </summary>
    public int CountRejection(string keyId)
    {
        var forgets = Volatile.Read(ref _forgets);
        var count = _rejections.AddOrUpdate(keyId, 1, static (_, count) => count + 1);
        if (_connection.IsAvailable)
        {
            Track(CountInRedisAsync(keyId, forgets));
        }

        return count;
    }

    public void ForgetRejections(string keyId)
    {
        // Checked first: every served call lands here, and nothing goes to Redis unless there is something to forget.
        if (!_rejections.ContainsKey(keyId) || !_rejections.TryRemove(keyId, out _))
        {
            return;
        }

        Interlocked.Increment(ref _forgets);
        if (!_connection.IsAvailable)
        {
            return;
        }

        Track(SendAsync(
            database => database.HashDeleteAsync(HashKey(keyId), KeyStateHash.RejectionsField),
            KeyStateMessage.ForForget(InstanceId, keyId)));
    }

    /// <summary>The rejections in a row this instance knows of for the key (its own and those published).</summary>
    internal int RejectionsInARow(string keyId) => _rejections.TryGetValue(keyId, out var count) ? count : 0;

    public async ValueTask DisposeAsync()
    {
        _connection.Restored -= OnRestored;
        await FlushAsync();
        if (Interlocked.Exchange(ref _messages, null) is { } messages)
        {
            try
            {
                await messages.UnsubscribeAsync();
            }
            catch (Exception e) when (RedisConnection.IsOutage(e))
            {
                // Going away anyway: Redis drops the subscription with the connection.
            }
        }
    }

    private RedisKey HashKey(string keyId) => _hashPrefix + keyId;

    private Task SetInRedisAsync(string keyId, KeyCooldown cooldown, DateTimeOffset now) =>
        SendAsync(database => KeyStateHash.WriteCooldownAsync(database, HashKey(keyId), cooldown, now), KeyStateMessage.ForSet(InstanceId, keyId, cooldown));

    // The write and the message go out together on the one connection, in that order. Whatever Redis says, it is
    // said to this task, never thrown at the request that made the change.
    private async Task SendAsync(Func<IDatabase, Task> write, string message)
    {
        try
        {
            var written = write(_connection.Database);
            var publish = _connection.Subscriber.PublishAsync(_channel, message);
            await written;
            await publish;
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            Log.WriteFailed(_logger, e.GetType().Name);
        }
    }

    private async Task CountInRedisAsync(string keyId, int forgets)
    {
        try
        {
            var shared = await KeyStateHash.CountRejectionAsync(_connection.Database, HashKey(keyId), RejectionRetention);

            // Forgotten or reset meanwhile: the count is over, whatever Redis counted before.
            if (Volatile.Read(ref _forgets) == forgets && RaiseRejections(keyId, shared, onlyIfCounting: true))
            {
                await _connection.Subscriber.PublishAsync(_channel, KeyStateMessage.ForCount(InstanceId, keyId, shared));
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException or InvalidCastException or ObjectDisposedException)
        {
            Log.WriteFailed(_logger, e.GetType().Name);
        }
    }

    private bool RaiseRejections(string keyId, int count, bool onlyIfCounting)
    {
        while (true)
        {
            if (!_rejections.TryGetValue(keyId, out var current))
            {
                if (onlyIfCounting)
                {
                    return false;
                }

                if (_rejections.TryAdd(keyId, count))
                {
                    return true;
                }

                continue;
            }

            if (current >= count || _rejections.TryUpdate(keyId, count, current))
            {
                return true;
            }
        }
    }

    private void Load(string keyId, (List<KeyCooldown> Cooldowns, int Rejections) held)
    {
        if (held.Rejections > 0)
        {
            RaiseRejections(keyId, held.Rejections, onlyIfCounting: false);
        }

        foreach (var cooldown in held.Cooldowns)
        {
            _mirror.SetCooldown(keyId, cooldown);
        }
    }

    private async Task SubscribeAsync()
    {
        if (_messages is not null || Interlocked.Exchange(ref _subscribing, 1) == 1)
        {
            return;
        }

        try
        {
            var messages = await _connection.Subscriber.SubscribeAsync(_channel);
            messages.OnMessage(Apply);
            _messages = messages;
        }
        catch (Exception e) when (RedisConnection.IsOutage(e))
        {
            Log.SubscribeFailed(_logger, e.GetType().Name);
        }
        finally
        {
            Volatile.Write(ref _subscribing, 0);
        }
    }

    private void OnRestored() => Track(RejoinAsync());

    private async Task RejoinAsync()
    {
        await SubscribeAsync();
        await ReloadAsync();
    }

    private void Apply(ChannelMessage received)
    {
        if (KeyStateMessage.Parse(received.Message) is not { } message)
        {
            Log.BadMessage(_logger);
            return;
        }

        if (message.Instance == InstanceId)
        {
            return;
        }

        switch (message.Kind)
        {
            case KeyStateMessage.Set:
                _mirror.SetCooldown(message.KeyId, message.Cooldown!);
                break;
            case KeyStateMessage.Clear:
                _mirror.Clear(message.KeyId, message.Model);
                break;
            case KeyStateMessage.Reset:
                Interlocked.Increment(ref _forgets);
                _rejections.TryRemove(message.KeyId, out _);
                _mirror.Reset(message.KeyId, _time.GetUtcNow());
                break;
            case KeyStateMessage.Count:
                RaiseRejections(message.KeyId, message.Rejections, onlyIfCounting: false);
                break;
            case KeyStateMessage.Forget:
                Interlocked.Increment(ref _forgets);
                _rejections.TryRemove(message.KeyId, out _);
                break;
        }
    }

    private void Track(Task task) => _pending.Track(task);

    private static partial class Log
    {
        [LoggerMessage(EventId = 720, Level = LogLevel.Warning, Message = "A key state change did not reach Redis ({Failure}); this instance keeps it")]
        public static partial void WriteFailed(ILogger logger, string failure);

        [LoggerMessage(EventId = 721, Level = LogLevel.Warning, Message = "Could not load the shared key state from Redis ({Failure}); this instance serves on its own")]
        public static partial void ReloadFailed(ILogger logger, string failure);

        [LoggerMessage(EventId = 722, Level = LogLevel.Warning, Message = "Could not subscribe to the other instances' key state changes ({Failure}); retried when Redis is back")]
        public static partial void SubscribeFailed(ILogger logger, string failure);

        [LoggerMessage(EventId = 723, Level = LogLevel.Warning, Message = "Ignored a key state message this version does not understand")]
        public static partial void BadMessage(ILogger logger);
    }
}
