using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Spillway.Storage.Redis;

/// <summary>
/// "The stored clients (or keys) changed", told to every other instance at once on the <c>{prefix}changes</c>
/// channel, so an instance that removes a client need not wait for the others to poll. An instance's own messages
/// are not delivered back to it (each carries the sender's <see cref="InstanceId"/>). Best effort: an instance that
/// was away from Redis missed what was said meanwhile, so a reader still reloads at start and on
/// <see cref="RedisConnection.Restored"/>.
/// </summary>
public sealed partial class RedisChangeNotifications : IAsyncDisposable
{
    private readonly RedisConnection _connection;
    private readonly ILogger _logger;
    private readonly RedisChannel _channel;
    private readonly Lock _gate = new();
    private Func<StoredChange, Task>[] _handlers = [];
    private ChannelMessageQueue? _messages;
    private int _subscribing;

    public RedisChangeNotifications(RedisConnection connection, ILogger logger, string? instanceId = null)
    {
        _connection = connection;
        _logger = logger;
        InstanceId = instanceId ?? Guid.NewGuid().ToString("N");
        _channel = connection.Channel("changes");
        connection.Restored += OnRestored;
    }

    /// <summary>This instance's id, in every message it publishes.</summary>
    public string InstanceId { get; }

    /// <summary>True while this instance hears the others (and they hear it).</summary>
    public bool IsListening => _connection.IsAvailable && _messages is not null && _connection.Subscriber.IsConnected(_channel);

    /// <summary>Starts listening. Never throws: when Redis is away it listens once Redis is back.</summary>
    public async Task StartAsync()
    {
        if (!_connection.IsAvailable || _messages is not null || Interlocked.Exchange(ref _subscribing, 1) == 1)
        {
            return;
        }

        try
        {
            var messages = await _connection.Subscriber.SubscribeAsync(_channel);
            messages.OnMessage(DeliverAsync);
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

    /// <summary>
    /// Calls <paramref name="handler"/> for every change another instance publishes, one at a time in the order
    /// they were published. Disposing the result stops it.
    /// </summary>
    public IDisposable Subscribe(Func<StoredChange, Task> handler)
    {
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }

        return new Unsubscriber(this, handler);
    }

    /// <summary>Tells the other instances. Returns false (and logs) when Redis did not take it; never throws.</summary>
    public async Task<bool> PublishAsync(StoredChange change)
    {
        if (!_connection.IsAvailable)
        {
            return false;
        }

        try
        {
            await _connection.Subscriber.PublishAsync(_channel, FieldCodec.Join(InstanceId, Name(change)));
            return true;
        }
        catch (Exception e) when (RedisConnection.IsOutage(e))
        {
            Log.PublishFailed(_logger, e.GetType().Name);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _connection.Restored -= OnRestored;
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

    private static string Name(StoredChange change) => change switch
    {
        StoredChange.Clients => "clients",
        StoredChange.Keys => "keys",
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, "not a stored change"),
    };

    private void OnRestored() => _ = StartAsync();

    private void Remove(Func<StoredChange, Task> handler)
    {
        lock (_gate)
        {
            _handlers = [.. _handlers.Where(h => h != handler)];
        }
    }

    private async Task DeliverAsync(ChannelMessage message)
    {
        StoredChange change;
        switch (FieldCodec.Split(message.Message))
        {
            case [var sender, _] when sender == InstanceId:
                return;
            case [_, "clients"]:
                change = StoredChange.Clients;
                break;
            case [_, "keys"]:
                change = StoredChange.Keys;
                break;
            default:
                Log.BadMessage(_logger);
                return;
        }

        foreach (var handler in Volatile.Read(ref _handlers))
        {
            try
            {
                await handler(change);
            }
#pragma warning disable CA1031 // One failing reader must not keep the change from the others, nor stop the channel.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.HandlerFailed(_logger, change.ToString(), e);
            }
        }
    }

    private sealed class Unsubscriber(RedisChangeNotifications owner, Func<StoredChange, Task> handler) : IDisposable
    {
        public void Dispose() => owner.Remove(handler);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 730, Level = LogLevel.Warning, Message = "Could not listen for the other instances' changes ({Failure}); retried when Redis is back")]
        public static partial void SubscribeFailed(ILogger logger, string failure);

        [LoggerMessage(EventId = 731, Level = LogLevel.Warning, Message = "Could not tell the other instances of a change ({Failure})")]
        public static partial void PublishFailed(ILogger logger, string failure);

        [LoggerMessage(EventId = 732, Level = LogLevel.Warning, Message = "Ignored a change message this version does not understand")]
        public static partial void BadMessage(ILogger logger);

        [LoggerMessage(EventId = 733, Level = LogLevel.Error, Message = "A reader of the {Change} change failed")]
        public static partial void HandlerFailed(ILogger logger, string change, Exception exception);
    }
}
