using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Spillway.Core.Budgets;
using StackExchange.Redis;

namespace Spillway.Storage.Redis.Budgets;

/// <summary>
/// The <see cref="IBudgetStore"/> several instances share through one Redis, so together they never hold and spend
/// beyond a client's daily or monthly budget. Same rules and <see cref="BudgetDecision"/>s as the embedded
/// <see cref="BudgetBook"/> (UTC days and months from the <see cref="TimeProvider"/>'s time): a reservation is one
/// atomic Lua script (<see cref="BudgetScripts"/>) that checks spend today, spend this month and every hold in
/// flight against the budgets and adds its own hold.
/// </summary>
/// <remarks>
/// <para>
/// Money is kept as integer nano-dollars: estimates are rounded up, costs to the nearest nano-dollar, never a float.
/// Each hold is its own entry with an expiry (<c>holdLifetime</c>, 30 minutes by default), so holds of an instance
/// that died with calls in flight free themselves. Day spend expires an hour after its UTC day, month spend an hour
/// after its month, holds a minute after the last one's expiry.
/// </para>
/// <para>
/// <see cref="Settle"/> and <see cref="Release"/> are sent fire-and-forget. While Redis is unreachable (or does not
/// answer within the timeout) a paid call of a client with a budget is refused, with a reason saying so, rather
/// than risk overshooting the budget; settlements and releases are still tried.
/// </para>
/// <para>
/// <see cref="Seed"/> adds the ledger's spend for the month once per client and month, by whichever instance comes
/// first (a mark in Redis); the others find it seeded and add nothing, since every spend after it is settled into
/// Redis by the instance that made it. With one ledger shared by every instance that is exact. With a ledger per
/// instance, only the first instance's past spend is seeded: the others' spend before the shared state began is not
/// counted. When Redis lost its data mid-month (a restart without persistence), the next instance to start seeds
/// the whole month again from its ledger, which with a shared ledger may count spend settled since the loss twice:
/// an error that refuses early, never one that overspends.
/// </para>
/// </remarks>
public sealed partial class RedisBudgetStore : IBudgetStore
{
    private const decimal NanosPerDollar = 1_000_000_000m;
    private static readonly TimeSpan Margin = TimeSpan.FromHours(1);

    private readonly RedisConnection _connection;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _holdLifetime;
    private readonly TimeSpan _timeout;
    private readonly ConcurrentDictionary<string, BudgetStatus> _lastStatus = new(StringComparer.Ordinal);

    /// <summary>A store over <paramref name="connection"/>'s Redis, under its key prefix.</summary>
    /// <param name="connection">The instance's Redis connection.</param>
    /// <param name="time">The clock that decides the UTC day and month.</param>
    /// <param name="logger">Where an unreachable Redis is logged.</param>
    /// <param name="holdLifetime">How long a hold counts if it is never settled (default 30 minutes).</param>
    /// <param name="timeout">How long a reservation waits for Redis before it is refused (default 1 s).</param>
    public RedisBudgetStore(RedisConnection connection, TimeProvider time, ILogger logger, TimeSpan? holdLifetime = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _connection = connection;
        _time = time;
        _logger = logger;
        _holdLifetime = holdLifetime ?? TimeSpan.FromMinutes(30);
        _timeout = timeout ?? TimeSpan.FromSeconds(1);
    }

    /// <summary>True while budgets are kept in Redis; false while paid budgeted calls are refused.</summary>
    public bool IsShared => _connection.IsAvailable;

    /// <inheritdoc />
    public async ValueTask<BudgetDecision> TryReserveAsync(ClientBudget budget, decimal estimate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentOutOfRangeException.ThrowIfNegative(estimate);
        var now = _time.GetUtcNow();
        if (!IsShared)
        {
            return Unreachable(budget, estimate, now);
        }

        var id = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        RedisValue[] values =
        [
            now.ToUnixTimeMilliseconds(),
            budget.DailyUsd is { } daily ? Floor(daily) : -1,
            budget.MonthlyUsd is { } monthly ? Floor(monthly) : -1,
            Ceiling(estimate),
            id,
            (now + _holdLifetime).ToUnixTimeMilliseconds(),
        ];
        RedisResult[] result;
        try
        {
            result = (RedisResult[])(await _connection.Database
                .ScriptEvaluateAsync(BudgetScripts.Reserve, BudgetKeys.Of(_connection, budget.ClientId, now), values)
                .WaitAsync(_timeout, cancellationToken))!;
        }
        catch (Exception e) when (RedisConnection.IsOutage(e))
        {
            Log.Failed(_logger, "reservation", e.Message);

            // The script may still run once Redis answers: the release follows it on the same connection.
            Fire("release", BudgetScripts.Release, BudgetKeys.Of(_connection, budget.ClientId, now), [id]);
            return Unreachable(budget, estimate, now);
        }
        catch (OperationCanceledException)
        {
            Fire("release", BudgetScripts.Release, BudgetKeys.Of(_connection, budget.ClientId, now), [id]);
            throw;
        }

        if ((long)result[0] == 1)
        {
            return new BudgetDecision(new BudgetReservation(budget.ClientId, estimate, new RedisBudgetHold(id)), null, 0m, 0m, 0m, estimate, now);
        }

        var spent = Dollars((long)result[2]);
        var held = Dollars((long)result[3]);
        return (long)result[1] == 0
            ? new BudgetDecision(null, BudgetWindow.Day, budget.DailyUsd!.Value, spent, held, estimate, NextDay(now))
            : new BudgetDecision(null, BudgetWindow.Month, budget.MonthlyUsd!.Value, spent, held, estimate, NextMonth(now));
    }

    /// <inheritdoc />
    public void Settle(BudgetReservation reservation, decimal cost)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (reservation.Handle is not RedisBudgetHold hold || !hold.TryClose())
        {
            return;
        }

        var now = _time.GetUtcNow();
        RedisValue[] values =
        [
            hold.Id,
            Round(cost),
            (long)(NextDay(now) - now + Margin).TotalMilliseconds,
            (long)(NextMonth(now) - now + Margin).TotalMilliseconds,
        ];
        Fire("settlement", BudgetScripts.Settle, BudgetKeys.Of(_connection, reservation.ClientId, now), values);
    }

    /// <inheritdoc />
    public void Release(BudgetReservation reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (reservation.Handle is not RedisBudgetHold hold || !hold.TryClose())
        {
            return;
        }

        Fire("release", BudgetScripts.Release, BudgetKeys.Of(_connection, reservation.ClientId, _time.GetUtcNow()), [hold.Id]);
    }

    /// <summary>
    /// Adds the ledger's spend of this month (and of today to the day) unless an instance already seeded this
    /// client's month; waits for Redis' answer (it runs at start, not on a request). Does nothing while Redis is
    /// unreachable: the first instance to seed once it is back does it.
    /// </summary>
    public void Seed(string clientId, IReadOnlyDictionary<DateOnly, decimal> spendByDay)
    {
        ArgumentNullException.ThrowIfNull(spendByDay);
        var now = _time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var month = 0m;
        var day = 0m;
        foreach (var (date, spent) in spendByDay)
        {
            if (date.Year == today.Year && date.Month == today.Month)
            {
                month += spent;
                day += date == today ? spent : 0m;
            }
        }

        if (!IsShared)
        {
            return;
        }

        var keys = BudgetKeys.Of(_connection, clientId, now);
        RedisValue[] values =
        [
            Round(month),
            Round(day),
            (long)(NextDay(now) - now + Margin).TotalMilliseconds,
            (long)(NextMonth(now) - now + Margin).TotalMilliseconds,
        ];
        try
        {
            _connection.Database.ScriptEvaluate(BudgetScripts.Seed, [keys[0], keys[1], BudgetKeys.Seeded(_connection, clientId, now)], values);
        }
        catch (Exception e) when (RedisConnection.IsOutage(e))
        {
            Log.Failed(_logger, "seed", e.Message);
        }
    }

    /// <summary>The client's spend and holds as Redis has them; while Redis is unreachable, the last read.</summary>
    public BudgetStatus StatusOf(string clientId)
    {
        var now = _time.GetUtcNow();
        if (IsShared)
        {
            try
            {
                var result = (RedisResult[])_connection.Database.ScriptEvaluate(
                    BudgetScripts.Status, BudgetKeys.Of(_connection, clientId, now), [now.ToUnixTimeMilliseconds()])!;
                var status = new BudgetStatus(Dollars((long)result[0]), Dollars((long)result[1]), Dollars((long)result[2]), NextDay(now), NextMonth(now));
                _lastStatus[clientId] = status;
                return status;
            }
            catch (Exception e) when (RedisConnection.IsOutage(e))
            {
                Log.Failed(_logger, "status", e.Message);
            }
        }

        return _lastStatus.TryGetValue(clientId, out var last) && last.DayResetsAt > now
            ? last
            : new BudgetStatus(0m, 0m, 0m, NextDay(now), NextMonth(now));
    }

    private static BudgetDecision Unreachable(ClientBudget budget, decimal estimate, DateTimeOffset now)
    {
        var window = budget.DailyUsd is not null || budget.MonthlyUsd is null ? BudgetWindow.Day : BudgetWindow.Month;
        var limit = budget.DailyUsd ?? budget.MonthlyUsd ?? 0m;
        return new BudgetDecision(
            null, window, limit, 0m, 0m, estimate, now.AddMinutes(1),
            "the shared budget (Redis) is unreachable, so a paid call cannot be held against it");
    }

    private static long Ceiling(decimal dollars) => (long)Math.Ceiling(dollars * NanosPerDollar);

    private static long Floor(decimal dollars) => (long)Math.Floor(dollars * NanosPerDollar);

    private static long Round(decimal dollars) => (long)Math.Round(dollars * NanosPerDollar, MidpointRounding.AwayFromZero);

    private static decimal Dollars(long nanos) => nanos / NanosPerDollar;

    private static DateTimeOffset NextDay(DateTimeOffset now) => new(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);

    private static DateTimeOffset NextMonth(DateTimeOffset now) =>
        new(BudgetBook.MonthStart(now).AddMonths(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private void Fire(string what, string script, RedisKey[] keys, RedisValue[] values)
    {
        try
        {
            _connection.Database.ScriptEvaluate(script, keys, values, CommandFlags.FireAndForget);
        }
        catch (Exception e) when (RedisConnection.IsOutage(e))
        {
            Log.Failed(_logger, what, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 730, Level = LogLevel.Warning, Message = "Redis did not take a budget {What} ({Reason})")]
        public static partial void Failed(ILogger logger, string what, string reason);
    }
}
