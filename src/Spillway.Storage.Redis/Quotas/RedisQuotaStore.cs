using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Spillway.Core.KeyState;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;
using StackExchange.Redis;

namespace Spillway.Storage.Redis.Quotas;

/// <summary>
/// The <see cref="IQuotaStore"/> several instances share through one Redis: every key's quota windows live there,
/// so N instances behind a load balancer together admit no more than the key's limits. Same semantics as the
/// embedded <see cref="QuotaBook"/> (sliding minutes, day counters to the provider's reset, stated remaining until
/// its reset, learned limits), each operation one atomic Lua script (<see cref="QuotaScripts"/>).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="TryAdmitAsync"/> is the one awaited call: one script, one round trip, checking and reserving in every
/// window at once. A scope's admissions that arrive while one of its scripts is on its way go together in the next
/// (<see cref="AdmissionQueue"/>): each call is still checked in Redis before it is made, in the order they came. <see cref="Settle"/>, <see cref="Release"/>, <see cref="Record"/>, <see cref="Observe"/> and
/// <see cref="Learn"/> are sent fire-and-forget and never hold up a request; a settlement that only corrects the
/// day's token counter is summed with the scope's others and sent with the next flush (<see cref="FlushPending"/>,
/// every <see cref="PendingFlushEvery"/>). <see cref="Figures"/> and <see cref="Scopes"/> (the admin API) read Redis
/// synchronously.
/// </para>
/// <para>
/// Every key expires with its window: minute windows 65 s after their last entry, day windows an hour after the
/// day's reset, stated figures a minute after their reset, learned limits and the index of scopes a day after they
/// were last written. Times come from the callers' <c>now</c>, never from Redis' clock.
/// </para>
/// <para>
/// While Redis is unreachable (or a command fails: a timeout, a lost connection) every call falls back to a local
/// <see cref="QuotaBook"/>, this instance's own counting, and <see cref="IsShared"/> is false. When Redis answers
/// again the store uses it again; what the local book counted meanwhile is not merged into Redis.
/// </para>
/// <para>
/// A scope nothing bounds (no configured limit, no learned one, no statement in force) cannot refuse a call, so
/// asking Redis first buys nothing: once an admission's answer says a scope is so, this instance admits it without
/// a command for <see cref="BoundlessFor"/> and counts each such call once, when it is settled, with its real tokens
/// (summed per scope over <see cref="PendingFlushEvery"/>: one fire-and-forget script for many calls, instead of an
/// admission and a correction for each). A statement or learned limit ends that at
/// once: on this instance directly, on the others through the <c>quota-bounded</c> channel, which the observation's
/// script publishes to when it bounds a scope that was unbounded (after <see cref="StartAsync"/>; a store not started
/// always asks). Until their settlement such calls are not in the day counters, and an instance can admit one more
/// in the moment the channel's message is on its way; <see cref="BoundlessFor"/> caps how long a lost message (a
/// reconnection drops them; reconnecting forgets every such answer too) can be missed.
/// </para>
/// <para>
/// <see cref="CountsTokens"/> is asked on the hot path before admission, so it does not ask Redis: beyond the
/// configured token limits it answers from what this instance last heard (the token windows a learned limit or a
/// provider's statement made known, returned by each admission and by <see cref="Figures"/>).
/// </para>
/// </remarks>
public sealed partial class RedisQuotaStore : IQuotaStore, IDisposable
{
    private const long LearnedMs = 86_400_000;

    // How long a day counter outlives its day's reset (the scripts' DAY_MARGIN).
    private const long DayMarginMs = 3_600_000;

    // For a learned limit, which comes without the scope's rules: no configured figures.
    private static readonly QuotaRules NoRules = new(new KeyLimits(), DailyResetRule.UtcMidnight);

    private static readonly RedisScript AdmitScript = new(QuotaScripts.Admit);
    private static readonly RedisScript RecordScript = new(QuotaScripts.Record);
    private static readonly RedisScript ObserveScript = new(QuotaScripts.Observe);
    private static readonly RedisScript FiguresScript = new(QuotaScripts.Figures);
    private static readonly RedisScript SettleScript = new(QuotaScripts.Settle);
    private static readonly RedisScript ReleaseScript = new(QuotaScripts.Release);

    private readonly RedisConnection _connection;
    private readonly ILogger _logger;
    private readonly QuotaBook _local = new();
    private readonly ConcurrentDictionary<QuotaScope, long> _tokensKnownUntil = new();

    // Built once per scope (a dozen strings): every admission and settlement passes them.
    private readonly ConcurrentDictionary<QuotaScope, QuotaKeys> _keys = new();
    private readonly TimeSpan _admitTimeout;

    // The last day-token field named (one object, so a reader never sees a reset with another day's name).
    private DayField _tpdField = new(0, string.Empty);
    private long _fallbacks;

    /// <summary>A store over <paramref name="connection"/>'s Redis, under its key prefix.</summary>
    /// <param name="connection">The instance's Redis connection.</param>
    /// <param name="logger">Where a fallback to local counting is logged.</param>
    /// <param name="admitTimeout">How long an admission waits for Redis before it counts locally (default 1 s).</param>
    /// <param name="time">Times the sending of ended calls admitted without asking (default the system clock).</param>
    public RedisQuotaStore(RedisConnection connection, ILogger logger, TimeSpan? admitTimeout = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(logger);
        _connection = connection;
        _logger = logger;
        _admitTimeout = admitTimeout ?? TimeSpan.FromSeconds(1);
        connection.Preload(AdmitScript, RecordScript, ObserveScript, FiguresScript, SettleScript, ReleaseScript);
        _bounded = connection.Channel("quota-bounded");
        connection.Restored += OnRestored;
        _pendingFlush = (time ?? TimeProvider.System).CreateTimer(_ => FlushOnTimer(), null, PendingFlushEvery, PendingFlushEvery);
    }

    /// <summary>True while the quota windows are shared through Redis; false while this instance counts alone.</summary>
    public bool IsShared => _connection.IsAvailable;

    /// <summary>How many calls fell back to local counting because a Redis command failed.</summary>
    internal long Fallbacks => Interlocked.Read(ref _fallbacks);

    /// <inheritdoc />
    public bool CountsTokens(QuotaScope scope, QuotaRules rules, DateTimeOffset now)
    {
        if (rules.Limits.Tpm is not null || rules.Limits.Tpd is not null)
        {
            return true;
        }

        if (!IsShared)
        {
            return _local.CountsTokens(scope, rules, now);
        }

        return _tokensKnownUntil.TryGetValue(scope, out var until) && until > now.ToUnixTimeMilliseconds();
    }

    /// <inheritdoc />
    public void Settle(QuotaReservation reservation, long? tokens)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (reservation.Handle is UncountedHold uncounted)
        {
            if (uncounted.TryClose()
                && _uncounted.Add(reservation.Scope, uncounted.Rules, uncounted.AdmittedAt, tokens ?? reservation.Tokens, PendingFlushAtCalls))
            {
                FlushPending();
            }

            return;
        }

        if (reservation.Handle is not RedisQuotaHold hold)
        {
            _local.Settle(reservation, tokens);
            return;
        }

        if (!hold.TryClose() || tokens is not { } used || used == reservation.Tokens)
        {
            return;
        }

        var keys = KeysOf(reservation.Scope);
        if ((hold.Kept & RedisQuotaHold.TpmKept) == 0 && hold.Statements[2].Length == 0 && hold.Statements[3].Length == 0)
        {
            // Only the day's token counter to correct: summed with the other settlements of the scope's day and sent
            // with the next flush, as one HINCRBY and no script.
            _corrections.Add(reservation.Scope, hold.TpdReset, used - reservation.Tokens, hold.AdmittedAt);
            return;
        }

        Fire(
            "settlement",
            SettleScript,
            keys.Settlement,
            [hold.Id, reservation.Tokens, used, hold.TpdReset, hold.Statements[2], hold.Statements[3], hold.Kept]);
    }

    /// <inheritdoc />
    public void Release(QuotaReservation reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (reservation.Handle is UncountedHold uncounted)
        {
            uncounted.TryClose();
            return;
        }

        if (reservation.Handle is not RedisQuotaHold hold)
        {
            _local.Release(reservation);
            return;
        }

        if (!hold.TryClose())
        {
            return;
        }

        Fire(
            "release",
            ReleaseScript,
            KeysOf(reservation.Scope).Windows,
            [hold.Id, reservation.Tokens, hold.RpdReset, hold.TpdReset, hold.Statements[0], hold.Statements[1], hold.Statements[2], hold.Statements[3], hold.Kept]);
    }

    /// <inheritdoc />
    public void Record(QuotaScope scope, QuotaRules rules, long tokens, DateTimeOffset now)
    {
        if (!IsShared
            || !Fire("record", RecordScript, KeysOf(scope).All, Arguments(rules, now, tokens, NewId(), KeysOf(scope).IndexEntry, 1)))
        {
            _local.Record(scope, rules, tokens, now);
        }
    }

    /// <inheritdoc />
    public void Observe(
        QuotaScope scope, QuotaRules rules, QuotaMeasure measure, long? limit, long? remaining, DateTimeOffset? resetAt, DateTimeOffset now)
    {
        _boundlessUntil.TryRemove(scope, out _);
        FlushPending();
        if (measure.CountsTokens() && (limit is > 0 || remaining is not null))
        {
            var until = limit is > 0 ? now.ToUnixTimeMilliseconds() + LearnedMs : (resetAt ?? now.AddMinutes(1)).ToUnixTimeMilliseconds();
            _tokensKnownUntil.AddOrUpdate(scope, until, (_, known) => Math.Max(known, until));
        }

        if (!IsShared)
        {
            _local.Observe(scope, rules, measure, limit, remaining, resetAt, now);
            return;
        }

        if (!Fire("observation", ObserveScript, KeysOf(scope).All, ObservationArguments(scope, rules, measure, limit, remaining, resetAt, now)))
        {
            _local.Observe(scope, rules, measure, limit, remaining, resetAt, now);
        }
    }

    /// <inheritdoc />
    /// <summary>
    /// Not inferred in the shared store yet: its minute windows keep no calls while no limit bounds them (each kept
    /// call would cost every instance a Redis write), so there is nothing to infer from. Limits the provider states
    /// or names are shared as usual.
    /// </summary>
    public long? InferMinuteLimit(QuotaScope scope, QuotaRules rules, DateTimeOffset now) => null;

    public void Learn(QuotaScope scope, QuotaMeasure measure, long limit, DateTimeOffset now)
    {
        _boundlessUntil.TryRemove(scope, out _);
        FlushPending();
        if (measure.CountsTokens())
        {
            // Until the next admission says otherwise: a learned limit lasts a day.
            _tokensKnownUntil[scope] = long.MaxValue;
        }

        if (!IsShared)
        {
            _local.Learn(scope, measure, limit, now);
            return;
        }

        // An observation that names only the limit: the scope's configured figures and day rule play no part in it.
        if (!Fire("learned limit", ObserveScript, KeysOf(scope).All, ObservationArguments(scope, NoRules, measure, limit, null, null, now)))
        {
            _local.Learn(scope, measure, limit, now);
        }
    }

    /// <inheritdoc />
    public QuotaFigures Figures(QuotaScope scope, QuotaRules rules, DateTimeOffset now)
    {
        FlushPending();
        if (!IsShared)
        {
            return _local.Figures(scope, rules, now);
        }

        RedisResult[] result;
        try
        {
            result = (RedisResult[])FiguresScript.Evaluate(_connection, KeysOf(scope).All, Arguments(rules, now))!;
        }
        catch (Exception e) when (RedisConnection.IsOutage(e))
        {
            FellBack("figures", e.Message);
            return _local.Figures(scope, rules, now);
        }

        _tokensKnownUntil[scope] = (long)result[12];
        var figures = new QuotaFigure[4];
        for (var i = 0; i < figures.Length; i++)
        {
            var limit = (long)result[3 * i];
            var remaining = (long)result[(3 * i) + 1];
            var reset = (long)result[(3 * i) + 2];
            figures[i] = new QuotaFigure(
                limit < 0 ? null : limit,
                remaining < 0 ? null : remaining,
                reset < 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(reset));
        }

        return new QuotaFigures(figures);
    }

    /// <inheritdoc />
    public IReadOnlyList<QuotaScope> Scopes()
    {
        if (!IsShared)
        {
            return _local.Scopes();
        }

        try
        {
            var entries = _connection.Database.SortedSetRangeByRank(_connection.Key(QuotaKeys.IndexName));
            return [.. entries.Select(entry => QuotaKeys.FromIndexEntry(entry.ToString()))];
        }
        catch (Exception e) when (RedisConnection.IsOutage(e))
        {
            FellBack("scopes", e.Message);
            return _local.Scopes();
        }
    }

    /// <summary>Nothing: Redis keeps the state across a restart of any instance.</summary>
    public IReadOnlyList<QuotaRecord> Export(DateTimeOffset now) => [];

    /// <summary>Does nothing: Redis keeps the state across a restart, so there is nothing to restore.</summary>
    public void Import(IEnumerable<QuotaRecord> records)
    {
    }

    /// <summary>The state hash's field of a day's token counter, <c>tpd@RESET</c> (Unix ms). Every settlement of a day
    /// names the same one, so the last is kept rather than built again per request.</summary>
    private string TpdField(long reset)
    {
        var last = _tpdField;
        if (last.Reset != reset)
        {
            last = new DayField(reset, "tpd@" + reset.ToString(CultureInfo.InvariantCulture));
            _tpdField = last;
        }

        return last.Name;
    }

    private static string NewId() => Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);

    /// <summary>The prelude's arguments (now, the next day reset, the four configured limits), then <paramref name="more"/>.</summary>
    private static RedisValue[] Arguments(QuotaRules rules, DateTimeOffset now, params RedisValue[] more)
    {
        var values = new RedisValue[6 + more.Length];
        values[0] = now.ToUnixTimeMilliseconds();
        values[1] = DailyReset.Next(rules.DailyReset, now).ToUnixTimeMilliseconds();
        for (var i = 0; i < QuotaMeasures.All.Length; i++)
        {
            values[2 + i] = rules.Limits.Of(QuotaMeasures.All[i]) ?? -1;
        }

        more.CopyTo(values, 6);
        return values;
    }

    /// <summary>What the observation script takes after the prelude: measure, limit, remaining, reset, statement id, index
    /// entry, the channel it tells when it bounds an unbounded scope.</summary>
    private RedisValue[] ObservationArguments(
        QuotaScope scope, QuotaRules rules, QuotaMeasure measure, long? limit, long? remaining, DateTimeOffset? resetAt, DateTimeOffset now) =>
        Arguments(
            rules,
            now,
            (int)measure,
            limit ?? -1,
            remaining is { } left ? Math.Max(0, left) : -1,
            resetAt?.ToUnixTimeMilliseconds() ?? -1,
            NewId(),
            KeysOf(scope).IndexEntry,
            _bounded.ToString());

    private QuotaKeys KeysOf(QuotaScope scope) => _keys.GetOrAdd(scope, static (s, connection) => new QuotaKeys(connection, s), _connection);

    /// <summary>
    /// An admission whose answer was not awaited may still run once Redis answers: this follows it on the same
    /// connection and takes the request out of the minute windows (the day counters keep it: they err by refusing early).
    /// </summary>
    private void TakeBack(QuotaScope scope, string id, long? tokens) =>
        Fire("release", ReleaseScript, KeysOf(scope).Windows, [id, tokens ?? 0, -1, -1, string.Empty, string.Empty, string.Empty, string.Empty, RedisQuotaHold.AllKept]);

    /// <summary>Sends a script without waiting for its answer; false when it could not be sent.</summary>
    private bool Fire(string what, RedisScript script, RedisKey[] keys, RedisValue[] values)
    {
        try
        {
            script.Fire(_connection.Database, keys, values);
            return true;
        }
        catch (Exception e) when (RedisConnection.IsOutage(e))
        {
            FellBack(what, e.Message);
            return false;
        }
    }

    private void FellBack(string what, string reason)
    {
        Interlocked.Increment(ref _fallbacks);
        Log.FellBack(_logger, what, reason);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 710, Level = LogLevel.Warning, Message = "Redis did not take a quota {What} ({Reason}); this instance counted it on its own")]
        public static partial void FellBack(ILogger logger, string what, string reason);
    }

    private sealed record DayField(long Reset, string Name);
}
