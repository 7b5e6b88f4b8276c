using Spillway.Core.KeyState;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;
using Spillway.Storage.Redis.Quotas;
using Spillway.Storage.Redis.Tests.Support;
using StackExchange.Redis.Profiling;

namespace Spillway.Storage.Redis.Tests.Quotas;

/// <summary>What the store counts later: calls of unbounded scopes admitted without asking, and the flushed sums.</summary>
public sealed partial class RedisQuotaStoreTests
{
    [Fact]
    public async Task TryAdmitAsync_NothingBoundsTheScope_AdmitsWithoutAskingAndCountsEachCallOnceSettled()
    {
        var unknown = Rules(KeyLimits.Unknown, DailyResetRule.PacificMidnight);
        var first = (await AdmitAsync(_store, unknown, 100)).Reservation!;
        Assert.True(_store.AdmitsUnasked(Key, Now));
        var session = new ProfilingSession();
        var multiplexer = _connections[0].Database.Multiplexer;
        multiplexer.RegisterProfiler(() => session);

        var second = (await AdmitAsync(_store, unknown, 100)).Reservation!;
        var third = (await AdmitAsync(_store, unknown, 100)).Reservation!;
        var asked = session.FinishProfiling().Count();
        session = new ProfilingSession();
        _store.Settle(second, 150);
        _store.Settle(second, 999);
        _store.Release(third);
        await _connections[0].Database.PingAsync();
        var settledAtOnce = session.FinishProfiling().Count(command => command.Command != "PING");
        session = new ProfilingSession();
        _time.Advance(RedisQuotaStore.PendingFlushEvery);
        await _connections[0].Database.PingAsync();
        var settled = session.FinishProfiling().Select(command => command.Command).Where(command => command != "PING").ToList();
        multiplexer.RegisterProfiler(() => null);
        _store.Settle(first, 100);
        await _connections[0].Database.PingAsync();

        // Admitted with no command; the settlement is counted with the next flush, in one script, once; the release
        // has nothing to give back.
        Assert.Equal(0, asked);
        Assert.Equal(0, settledAtOnce);
        Assert.Equal(["EVALSHA"], settled);
        await using var admin = await redis.AdminAsync();
        var counted = await admin.GetDatabase().HashGetAsync(_prefix + "quota:{k1|}:state", ["rpd@" + DayOf(Now), "tpd@" + DayOf(Now)]);
        Assert.Equal(["2", "250"], counted.Select(value => value.ToString()));
    }

    [Fact]
    public async Task Settle_ManyCallsAdmittedWithoutAsking_OneRecordCountsThemAllInEveryWindow()
    {
        var unknown = Rules(KeyLimits.Unknown);
        Assert.True((await AdmitAsync(_store, unknown, null)).Admitted);
        var held = new List<QuotaReservation>();
        for (var i = 0; i < 5; i++)
        {
            held.Add((await AdmitAsync(_store, unknown, 10)).Reservation!);
        }

        // The provider now states what is left this minute (the answer to another call): the five calls that end
        // after it are counted against it, each as its own request.
        _store.Observe(Key, unknown, QuotaMeasure.Rpm, null, 20, Now.AddSeconds(30), Now);
        foreach (var reservation in held)
        {
            _store.Settle(reservation, 30);
        }

        var figures = _store.Figures(Key, unknown, Now);
        Assert.Equal(15, figures[QuotaMeasure.Rpm].Remaining);
    }

    [Fact]
    public async Task Figures_CallsEndedWithoutAsking_CountedBeforeTheyAreRead()
    {
        var unknown = Rules(KeyLimits.Unknown);
        var first = (await AdmitAsync(_store, unknown, null)).Reservation!;
        var second = (await AdmitAsync(_store, unknown, null)).Reservation!;
        _store.Learn(Key, QuotaMeasure.Tpd, 1000, Now);
        _store.Settle(first, 40);
        _store.Settle(second, 60);

        Assert.Equal(900, _store.Figures(Key, unknown, Now)[QuotaMeasure.Tpd].Remaining);
    }

    [Fact]
    public async Task TryAdmitAsync_ConfiguredLimitOrTimeUp_AsksRedisAgain()
    {
        var unknown = Rules(KeyLimits.Unknown);
        Assert.True((await AdmitAsync(_store, unknown, null)).Admitted);
        Assert.True(_store.AdmitsUnasked(Key, Now));

        // A configured limit is the caller's: such a call is always checked in Redis.
        var limited = (await AdmitAsync(_store, Rules(new KeyLimits(Rpd: 10)), null)).Reservation!;
        Assert.IsType<RedisQuotaHold>(limited.Handle);

        _time.Advance(RedisQuotaStore.BoundlessFor);
        Assert.False(_store.AdmitsUnasked(Key, Now));
        Assert.IsType<RedisQuotaHold>((await AdmitAsync(_store, unknown, null)).Reservation!.Handle);
    }

    [Fact]
    public async Task Observe_StatementOnAnotherInstance_EndsAdmittingWithoutAskingEverywhere()
    {
        var other = await InstanceAsync();
        var unknown = Rules(KeyLimits.Unknown);
        Assert.True((await AdmitAsync(_store, unknown, null)).Admitted);
        Assert.True((await AdmitAsync(other, unknown, null)).Admitted);
        Assert.True(_store.AdmitsUnasked(Key, Now) && other.AdmitsUnasked(Key, Now));

        // None left today, says the provider to the other instance: it stops at once, this one when it hears.
        other.Observe(Key, unknown, QuotaMeasure.Rpd, null, 0, null, Now);
        Assert.False(other.AdmitsUnasked(Key, Now));
        Assert.True(await Eventually.TrueAsync(() => !_store.AdmitsUnasked(Key, Now)));

        var refused = await AdmitAsync(_store, unknown, null);
        Assert.False(refused.Admitted);
        Assert.Equal(QuotaMeasure.Rpd, refused.Measure);
    }

    [Fact]
    public async Task Learn_OnThisInstance_EndsAdmittingWithoutAskingAtOnce()
    {
        var unknown = Rules(KeyLimits.Unknown);
        var admitted = (await AdmitAsync(_store, unknown, null)).Reservation!;
        _store.Settle(admitted, null);

        _store.Learn(Key, QuotaMeasure.Rpd, 1, Now);

        Assert.False(_store.AdmitsUnasked(Key, Now));
        Assert.False((await AdmitAsync(_store, unknown, null)).Admitted);
    }

    [Fact]
    public async Task Settle_ManyCallsOfOneDay_SentTogetherWithTheNextFlush()
    {
        var rules = Rules(new KeyLimits(Rpd: 100), DailyResetRule.PacificMidnight);
        var held = new List<QuotaReservation>();
        for (var i = 0; i < 5; i++)
        {
            held.Add((await AdmitAsync(_store, rules, 100)).Reservation!);
        }

        var session = new ProfilingSession();
        var multiplexer = _connections[0].Database.Multiplexer;
        multiplexer.RegisterProfiler(() => session);
        foreach (var reservation in held)
        {
            _store.Settle(reservation, 80);
        }

        await _connections[0].Database.PingAsync();
        var atOnce = session.FinishProfiling().Count(command => command.Command != "PING");
        session = new ProfilingSession();
        _time.Advance(RedisQuotaStore.PendingFlushEvery);
        await _connections[0].Database.PingAsync();
        var flushed = session.FinishProfiling().Select(command => command.Command).Where(command => command != "PING").Order(StringComparer.Ordinal).ToList();
        multiplexer.RegisterProfiler(() => null);

        // Five corrections of 20 tokens each: one HINCRBY of the sum (and the time to live it may need).
        Assert.Equal(0, atOnce);
        Assert.Equal(["EXPIRE", "HINCRBY"], flushed);
        await using var admin = await redis.AdminAsync();
        Assert.Equal("400", (await admin.GetDatabase().HashGetAsync(_prefix + "quota:{k1|}:state", "tpd@" + DayOf(Now))).ToString());
    }
}
