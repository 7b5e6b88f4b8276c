using System.Collections.Concurrent;
using Spillway.Core.KeyState;
using StackExchange.Redis;

namespace Spillway.Storage.Redis.Quotas;

/// <summary>
/// What <see cref="RedisQuotaStore"/> counts later rather than on a request's path: calls of scopes nothing bounds,
/// admitted without asking (and the channel that ends that), and the sums sent with each flush.
/// </summary>
public sealed partial class RedisQuotaStore
{
    // A busy key's ended calls admitted without asking wait until this many have ended, at most, before they are sent.
    private const int PendingFlushAtCalls = 256;

    // Until when (Unix ms, the callers' clock) each scope is taken as bounded by nothing, from an admission's answer.
    private readonly ConcurrentDictionary<QuotaScope, long> _boundlessUntil = new();
    private readonly RedisChannel _bounded;
    private ChannelMessageQueue? _boundedMessages;
    private int _subscribing;
    private readonly UncountedCalls _uncounted = new();
    private readonly DayTokenCorrections _corrections = new();
    private readonly ITimer _pendingFlush;

    /// <summary>How long ended calls admitted without asking and day-token corrections wait, at most, to be sent to
    /// Redis together.</summary>
    public static TimeSpan PendingFlushEvery { get; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long an admission's answer that nothing bounds a scope stands without asking Redis again.</summary>
    public static TimeSpan BoundlessFor { get; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Hears the other instances bound scopes, so this one may admit unbounded scopes without asking Redis. Never
    /// throws: when Redis cannot be reached the store keeps asking on every admission.
    /// </summary>
    public async Task StartAsync()
    {
        if (_boundedMessages is not null || Interlocked.Exchange(ref _subscribing, 1) == 1)
        {
            return;
        }

        try
        {
            var messages = await _connection.Subscriber.SubscribeAsync(_bounded);
            messages.OnMessage(_ => _boundlessUntil.Clear());
            _boundedMessages = messages;
        }
        catch (Exception e) when (RedisConnection.IsOutage(e))
        {
            FellBack("subscription", e.Message);
        }
        finally
        {
            Volatile.Write(ref _subscribing, 0);
        }
    }

    // Messages sent while the connection was down are lost: every scope is asked about again, and a subscription that
    // failed at start is made now.
    private void OnRestored()
    {
        _boundlessUntil.Clear();
        if (_boundedMessages is null)
        {
            _ = StartAsync();
        }
    }

    /// <summary>True while this instance admits <paramref name="scope"/> without asking Redis.</summary>
    internal bool AdmitsUnasked(QuotaScope scope, DateTimeOffset now) =>
        _boundedMessages is not null && _boundlessUntil.TryGetValue(scope, out var until) && until > now.ToUnixTimeMilliseconds();

    /// <summary>
    /// Sends what waits to be counted: the ended calls admitted without asking, one record per scope and day (the
    /// scope's latest admission as its time), and the day-token corrections, one <c>HINCRBY</c> per scope and day.
    /// Runs every <see cref="PendingFlushEvery"/>, when a sum of calls is full, and before anything reads or bounds
    /// the windows (<see cref="Figures"/>, <see cref="Observe"/>, <see cref="Learn"/>), so those see them.
    /// </summary>
    public void FlushPending()
    {
        foreach (var correction in _corrections.TakeAll())
        {
            // Should the scope's state be gone (Redis restarted since), the field HINCRBY makes again must not
            // outlive its day.
            try
            {
                var state = KeysOf(correction.Scope).State;
                var database = _connection.Database;
                database.HashIncrement(state, TpdField(correction.DayReset), correction.Delta, CommandFlags.FireAndForget);
                database.KeyExpire(
                    state, TimeSpan.FromMilliseconds(correction.DayReset + DayMarginMs - correction.LatestAdmittedAt), ExpireWhen.HasNoExpiry, CommandFlags.FireAndForget);
            }
            catch (Exception e) when (RedisConnection.IsOutage(e) || e is RedisCommandException)
            {
                FellBack("settlement", e.Message);
            }
        }

        foreach (var sum in _uncounted.TakeAll())
        {
            var keys = KeysOf(sum.Scope);
            if (!IsShared
                || !Fire("record", RecordScript, keys.All, Arguments(sum.Rules, sum.Latest, sum.Tokens, NewId(), keys.IndexEntry, sum.Calls)))
            {
                for (var call = 0; call < sum.Calls; call++)
                {
                    _local.Record(sum.Scope, sum.Rules, call == 0 ? sum.Tokens : 0, sum.Latest);
                }
            }
        }
    }

    // A timer's callback must not throw (it would end the process): a connection closed before this store can send
    // nothing any more, and what waited is lost as it would be with Redis gone.
    private void FlushOnTimer()
    {
        try
        {
            FlushPending();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Stops the timer after sending what is still to be counted.</summary>
    public void Dispose()
    {
        _pendingFlush.Dispose();
        FlushPending();
    }
}
