using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.KeyState;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;
using Spillway.Storage.Redis.Quotas;
using Spillway.Storage.Redis.Tests.Support;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace Spillway.Storage.Redis.Tests.Quotas;

public sealed partial class RedisQuotaStoreTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    // 10:00 UTC on a November day: 02:00 in Los Angeles (PST, UTC-8).
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly QuotaScope Key = new("k1", string.Empty);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly string _prefix = RedisFixture.FreshPrefix();
    private readonly List<RedisConnection> _connections = [];
    private readonly List<RedisQuotaStore> _stores = [];
    private RedisQuotaStore _store = null!;

    private DateTimeOffset Now => _time.GetUtcNow();

    public async Task InitializeAsync() => _store = await InstanceAsync();

    public async Task DisposeAsync()
    {
        // No command failed and was counted locally instead: every test here ran on the shared state.
        Assert.All(_stores, store => Assert.Equal(0, store.Fallbacks));
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task TryAdmitAsync_RpmSpent_RefusedUntilTheOldestRequestLeavesTheSlidingMinute()
    {
        var rules = Rules(new KeyLimits(Rpm: 2));
        Assert.True((await AdmitAsync(_store, rules, null)).Admitted);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.True((await AdmitAsync(_store, rules, null)).Admitted);
        _time.Advance(TimeSpan.FromSeconds(20));

        var refused = await AdmitAsync(_store, rules, null);

        Assert.False(refused.Admitted);
        Assert.Equal(QuotaMeasure.Rpm, refused.Measure);
        Assert.Equal(0, refused.Remaining);
        Assert.Equal(2, refused.Limit);
        Assert.Equal(T0.AddMinutes(1), refused.ResetAt);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.True((await AdmitAsync(_store, rules, null)).Admitted);
        Assert.False((await AdmitAsync(_store, rules, null)).Admitted);
    }

    [Fact]
    public async Task TryAdmitAsync_RpdSpent_RefusedUntilPacificMidnightThenTheDayRollsOver()
    {
        var rules = Rules(new KeyLimits(Rpd: 1), DailyResetRule.PacificMidnight);
        Assert.True((await AdmitAsync(_store, rules, null)).Admitted);

        var refused = await AdmitAsync(_store, rules, null);

        // 00:00 in Los Angeles on Nov 28 is 08:00 UTC.
        var midnight = new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal(QuotaMeasure.Rpd, refused.Measure);
        Assert.Equal(midnight, refused.ResetAt);
        _time.Advance(midnight - Now - TimeSpan.FromSeconds(1));
        Assert.False((await AdmitAsync(_store, rules, null)).Admitted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await AdmitAsync(_store, rules, null)).Admitted);
        Assert.False((await AdmitAsync(_store, rules, null)).Admitted);
        Assert.Equal(midnight.AddDays(1), _store.Figures(Key, rules, Now)[QuotaMeasure.Rpd].ResetAt);
    }

    [Fact]
    public async Task TryAdmitAsync_TokensAboveWhatIsLeft_RefusedOnTpmWithTheEstimate()
    {
        var rules = Rules(new KeyLimits(Tpm: 1000));
        Assert.True((await AdmitAsync(_store, rules, 700)).Admitted);

        var refused = await AdmitAsync(_store, rules, 400);

        Assert.Equal(QuotaMeasure.Tpm, refused.Measure);
        Assert.Equal(400, refused.Needed);
        Assert.Equal(300, refused.Remaining);
        Assert.Equal("tpm 300 of 1000 left, needs 400; resets at 2026-11-27T10:01:00.0000000+00:00", refused.Describe());
        Assert.True((await AdmitAsync(_store, rules, 300)).Admitted);
    }

    [Fact]
    public async Task Settle_RealUsageBelowTheEstimate_GivesTheDifferenceBack()
    {
        var rules = Rules(new KeyLimits(Tpm: 1000, Tpd: 5000));
        var held = (await AdmitAsync(_store, rules, 900)).Reservation!;
        Assert.False((await AdmitAsync(_store, rules, 200)).Admitted);

        _store.Settle(held, 100);

        Assert.True((await AdmitAsync(_store, rules, 200)).Admitted);
        var figures = _store.Figures(Key, rules, Now);
        Assert.Equal(700, figures[QuotaMeasure.Tpm].Remaining);
        Assert.Equal(4700, figures[QuotaMeasure.Tpd].Remaining);
    }

    [Fact]
    public async Task Release_GivesTheRequestAndTokensBackOnce()
    {
        var rules = Rules(new KeyLimits(Rpm: 2, Rpd: 2, Tpm: 100));
        Assert.True((await AdmitAsync(_store, rules, 0)).Admitted);
        var held = (await AdmitAsync(_store, rules, 100)).Reservation!;
        Assert.False((await AdmitAsync(_store, rules, 1)).Admitted);

        _store.Release(held);
        _store.Release(held);

        var figures = _store.Figures(Key, rules, Now);
        Assert.Equal(1, figures[QuotaMeasure.Rpm].Remaining);
        Assert.Equal(1, figures[QuotaMeasure.Rpd].Remaining);
        Assert.Equal(100, figures[QuotaMeasure.Tpm].Remaining);
    }

    [Fact]
    public async Task Observe_StatedRemainingZeroOnOneInstance_RefusesOnAnotherUntilTheStatedReset()
    {
        var other = await InstanceAsync();
        var rules = Rules(KeyLimits.Unknown);
        _store.Observe(Key, rules, QuotaMeasure.Rpd, null, 0, T0.AddMinutes(3), Now);
        await _connections[0].Database.PingAsync();

        var refused = await AdmitAsync(other, rules, null);

        Assert.False(refused.Admitted);
        Assert.Equal(QuotaMeasure.Rpd, refused.Measure);
        Assert.Null(refused.Limit);
        Assert.Equal(T0.AddMinutes(3), refused.ResetAt);
        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.True((await AdmitAsync(other, rules, null)).Admitted);
    }

    [Fact]
    public async Task Observe_StatedRemaining_CountsDownWithRequestsMadeAfterIt()
    {
        var rules = Rules(KeyLimits.Unknown);
        _store.Observe(Key, rules, QuotaMeasure.Rpm, null, 2, T0.AddSeconds(30), Now);

        Assert.True((await AdmitAsync(_store, rules, null)).Admitted);
        Assert.True((await AdmitAsync(_store, rules, null)).Admitted);
        Assert.False((await AdmitAsync(_store, rules, null)).Admitted);
    }

    [Fact]
    public async Task Observe_StatedLimit_BeatsTheConfiguredOne()
    {
        var rules = Rules(new KeyLimits(Rpd: 1000));
        _store.Observe(Key, rules, QuotaMeasure.Rpd, 14_400, 14_399, T0.AddSeconds(6), Now);
        _time.Advance(TimeSpan.FromMinutes(1));

        var figures = _store.Figures(Key, rules, Now);

        Assert.Equal(14_400, figures[QuotaMeasure.Rpd].Limit);
        Assert.Equal(14_400, figures[QuotaMeasure.Rpd].Remaining);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Settle_AfterTheAnswerStatedWhatIsLeft_DoesNotCountTheCallTwice()
    {
        var rules = Rules(KeyLimits.Unknown);
        var held = (await AdmitAsync(_store, rules, 0)).Reservation!;
        // The answer's headers already include this call: 500 tokens spent, 500 left.
        _store.Observe(Key, rules, QuotaMeasure.Tpm, 1000, 500, T0.AddSeconds(30), Now);

        _store.Settle(held, 500);

        Assert.Equal(500, _store.Figures(Key, rules, Now)[QuotaMeasure.Tpm].Remaining);
    }

    [Fact]
    public async Task Learn_LimitNamedByARefusal_ReplacesTheConfiguredFigure()
    {
        var rules = Rules(new KeyLimits(Rpd: 5));
        Assert.True((await AdmitAsync(_store, rules, null)).Admitted);
        Assert.True((await AdmitAsync(_store, rules, null)).Admitted);

        _store.Learn(Key, QuotaMeasure.Rpd, 2, Now);

        Assert.False((await AdmitAsync(_store, rules, null)).Admitted);
        Assert.Equal(2, _store.Figures(Key, rules, Now)[QuotaMeasure.Rpd].Limit);
    }

    [Fact]
    public async Task Record_CallWithoutAReservation_IsCounted()
    {
        var rules = Rules(new KeyLimits(Rpm: 2, Tpd: 1000));

        _store.Record(Key, rules, 300, Now);

        var figures = _store.Figures(Key, rules, Now);
        Assert.Equal(1, figures[QuotaMeasure.Rpm].Remaining);
        Assert.Equal(700, figures[QuotaMeasure.Tpd].Remaining);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task CountsTokens_TokenQuotaStatedThroughAnotherInstance_KnownAfterAnAdmission()
    {
        var other = await InstanceAsync();
        var model = new QuotaScope("k1", "m1");
        Assert.False(_store.CountsTokens(model, Rules(new KeyLimits(Rpm: 5)), Now));
        Assert.True(_store.CountsTokens(model, Rules(new KeyLimits(Tpd: 5)), Now));
        other.Observe(model, Rules(KeyLimits.Unknown), QuotaMeasure.Tpm, 12_000, 11_000, T0.AddSeconds(5), Now);
        await _connections[1].Database.PingAsync();

        Assert.True((await _store.TryAdmitAsync(model, Rules(KeyLimits.Unknown), null, Now, CancellationToken.None)).Admitted);

        Assert.True(_store.CountsTokens(model, Rules(KeyLimits.Unknown), Now));
        Assert.True(other.CountsTokens(model, Rules(KeyLimits.Unknown), Now));
    }

    [Fact]
    public async Task Scopes_PerModelQuotasAreCountedApartAndListed()
    {
        var rules = Rules(new KeyLimits(Rpm: 1));
        Assert.True((await _store.TryAdmitAsync(new QuotaScope("k1", "m1"), rules, null, Now, CancellationToken.None)).Admitted);

        Assert.True((await _store.TryAdmitAsync(new QuotaScope("k1", "m2"), rules, null, Now, CancellationToken.None)).Admitted);
        Assert.False((await _store.TryAdmitAsync(new QuotaScope("k1", "m1"), rules, null, Now, CancellationToken.None)).Admitted);
        Assert.Equal(
            [new QuotaScope("k1", "m1"), new QuotaScope("k1", "m2")],
            _store.Scopes().OrderBy(scope => scope.Model, StringComparer.Ordinal));
    }

    [Fact]
    public void ExportImport_RedisKeepsTheState_NothingToExport()
    {
        _store.Import([new QuotaRecord("k1", string.Empty, QuotaMeasure.Rpd, 5, 1, T0.AddDays(1), null, null)]);

        Assert.Empty(_store.Export(Now));
        Assert.Null(_store.Figures(Key, Rules(KeyLimits.Unknown), Now)[QuotaMeasure.Rpd].Limit);
    }

    [Fact]
    public async Task TryAdmitAsync_ThirtyConcurrentAdmissionsOverThreeInstances_AdmitExactlyTheRpm()
    {
        var instances = new[] { _store, await InstanceAsync(), await InstanceAsync() };
        var rules = Rules(new KeyLimits(Rpm: 6));

        var decisions = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(() => AdmitAsync(instances[i % 3], rules, null).AsTask())));

        Assert.Equal(6, decisions.Count(decision => decision.Admitted));
        Assert.All(decisions.Where(decision => !decision.Admitted), decision => Assert.Equal(T0.AddMinutes(1), decision.ResetAt));
    }

    [Fact]
    public async Task TryAdmitAsync_EveryKeyWritten_CarriesATimeToLive()
    {
        var other = await InstanceAsync();
        var rules = Rules(new KeyLimits(Rpm: 5, Rpd: 50, Tpm: 1000, Tpd: 10_000), DailyResetRule.PacificMidnight);
        var held = (await AdmitAsync(_store, rules, 100)).Reservation!;
        _store.Observe(Key, rules, QuotaMeasure.Tpm, 2000, 1500, T0.AddSeconds(20), Now);
        _store.Observe(Key, rules, QuotaMeasure.Rpd, 100, 40, null, Now);
        _store.Learn(Key, QuotaMeasure.Tpd, 20_000, Now);
        other.Record(Key, rules, 50, Now);
        _store.Settle(held, 80);
        await _connections[0].Database.PingAsync();
        await _connections[1].Database.PingAsync();

        await using var admin = await redis.AdminAsync();
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        var keys = server.Keys(pattern: _prefix + "*").ToList();

        // The two minute windows, the tpm amounts, the scope's state and the index of scopes.
        Assert.Equal(5, keys.Count);
        foreach (var key in keys)
        {
            var ttl = await admin.GetDatabase().KeyTimeToLiveAsync(key);
            Assert.True(ttl is { } left && left > TimeSpan.Zero, $"{key} has no time to live");
        }

        // The state lives as long as its longest-lived figure, here the limit learned for a day; the minute windows
        // a minute and a bit.
        var state = (await admin.GetDatabase().KeyTimeToLiveAsync(_prefix + "quota:{k1|}:state"))!.Value;
        Assert.InRange(state, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24));
        var minute = (await admin.GetDatabase().KeyTimeToLiveAsync(_prefix + "quota:{k1|}:rpm"))!.Value;
        Assert.InRange(minute, TimeSpan.FromSeconds(55), TimeSpan.FromSeconds(66));
    }

    [Fact]
    public async Task TryAdmitAsync_NothingKnown_KeepsOnlyTheDayCountersUntilTheDayReset()
    {
        var rules = Rules(new KeyLimits(), DailyResetRule.PacificMidnight);
        var held = (await AdmitAsync(_store, rules, null)).Reservation!;
        _store.Settle(held, 120);
        _store.FlushPending();
        await _connections[0].Database.PingAsync();

        await using var admin = await redis.AdminAsync();
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        var keys = server.Keys(pattern: _prefix + "*").Select(key => key.ToString()).Order(StringComparer.Ordinal).ToList();

        // No minute window is kept while nothing bounds it; the day counters live until the Pacific midnight and an hour.
        Assert.Equal([_prefix + "quota:scopes", _prefix + "quota:{k1|}:state"], keys);
        var state = (await admin.GetDatabase().KeyTimeToLiveAsync(_prefix + "quota:{k1|}:state"))!.Value;
        Assert.InRange(state, TimeSpan.FromHours(22.9), TimeSpan.FromHours(23));
        // One field per day counter, named by the day's reset; the settlement added the real tokens to it.
        var reset = DayOf(Now);
        var counted = await admin.GetDatabase().HashGetAsync(_prefix + "quota:{k1|}:state", ["rpd@" + reset, "tpd@" + reset]);
        Assert.Equal(["1", "120"], counted.Select(value => value.ToString()));
    }

    [Fact]
    public async Task TryAdmitAsync_NothingKnown_CountsTheDaySoALimitLearnedLaterSeesIt()
    {
        // Admitted while nothing bounds the scope (the script's short way), counted all the same: limits learned
        // afterwards (the script's full way) start from those counts.
        var unknown = Rules(KeyLimits.Unknown);
        for (var i = 0; i < 3; i++)
        {
            var admitted = await AdmitAsync(_store, unknown, 100);
            _store.Settle(admitted.Reservation!, 100);
        }

        _store.Record(Key, unknown, 50, Now);
        _store.Learn(Key, QuotaMeasure.Rpd, 5, Now);
        _store.Learn(Key, QuotaMeasure.Tpd, 1000, Now);

        var figures = _store.Figures(Key, unknown, Now);
        Assert.Equal(1, figures[QuotaMeasure.Rpd].Remaining);
        Assert.Equal(650, figures[QuotaMeasure.Tpd].Remaining);
        Assert.True((await AdmitAsync(_store, unknown, 100)).Admitted);
        var refused = await AdmitAsync(_store, unknown, 100);
        Assert.False(refused.Admitted);
        Assert.Equal(QuotaMeasure.Rpd, refused.Measure);
    }

    [Fact]
    public async Task TryAdmitAsync_NewDay_DropsThePastDaysCounters()
    {
        var rules = Rules(new KeyLimits(), DailyResetRule.PacificMidnight);
        Assert.True((await AdmitAsync(_store, rules, null)).Admitted);
        var firstDay = DayOf(Now);
        _time.Advance(TimeSpan.FromHours(23));
        Assert.True((await AdmitAsync(_store, rules, null)).Admitted);

        await using var admin = await redis.AdminAsync();
        var fields = (await admin.GetDatabase().HashKeysAsync(_prefix + "quota:{k1|}:state")).Select(field => field.ToString()).ToList();
        Assert.DoesNotContain("rpd@" + firstDay, fields);
        Assert.Contains("rpd@" + DayOf(Now), fields);
        Assert.Single(fields, field => field.StartsWith("rpd@", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Settle_StateGoneSinceTheAdmission_TheCounterItMakesAgainExpiresWithItsDay()
    {
        var rules = Rules(new KeyLimits(), DailyResetRule.PacificMidnight);
        var held = (await AdmitAsync(_store, rules, null)).Reservation!;
        await using var admin = await redis.AdminAsync();
        await admin.GetDatabase().KeyDeleteAsync(_prefix + "quota:{k1|}:state");

        _store.Settle(held, 120);
        _store.FlushPending();
        await _connections[0].Database.PingAsync();

        // The settlement is a plain HINCRBY: it made the hash again, and it must not live on after its day.
        Assert.Equal("120", (await admin.GetDatabase().HashGetAsync(_prefix + "quota:{k1|}:state", "tpd@" + DayOf(Now))).ToString());
        var ttl = await admin.GetDatabase().KeyTimeToLiveAsync(_prefix + "quota:{k1|}:state");
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromHours(22.9), TimeSpan.FromHours(23));
    }

    [Fact]
    public async Task TryAdmitAsync_OneAdmission_IsOneCommand()
    {
        var rules = Rules(new KeyLimits(Rpm: 5, Rpd: 50, Tpm: 1000, Tpd: 10_000));
        Assert.True((await AdmitAsync(_store, rules, 10)).Admitted);
        var session = new ProfilingSession();
        var multiplexer = _connections[0].Database.Multiplexer;
        multiplexer.RegisterProfiler(() => session);

        Assert.True((await AdmitAsync(_store, rules, 10)).Admitted);

        multiplexer.RegisterProfiler(() => null);
        var commands = session.FinishProfiling().ToList();
        Assert.Single(commands);
        Assert.Contains("EVAL", commands[0].Command, StringComparison.Ordinal);
    }

    /// <summary>The reset of the Pacific day <paramref name="now"/> is in, as the state hash names its day counters.</summary>
    private static string DayOf(DateTimeOffset now) =>
        DailyReset.Next(DailyResetRule.PacificMidnight, now).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static QuotaRules Rules(KeyLimits limits, DailyResetRule reset = DailyResetRule.UtcMidnight) => new(limits, reset);

    private ValueTask<AdmitDecision> AdmitAsync(RedisQuotaStore store, QuotaRules rules, long? tokens) =>
        store.TryAdmitAsync(Key, rules, tokens, Now, CancellationToken.None);

    private async Task<RedisQuotaStore> InstanceAsync()
    {
        var connection = await redis.ConnectAsync(_prefix);
        _connections.Add(connection);
        var store = new RedisQuotaStore(connection, NullLogger.Instance, TimeSpan.FromSeconds(10), _time);
        await store.StartAsync();
        _stores.Add(store);
        return store;
    }
}
