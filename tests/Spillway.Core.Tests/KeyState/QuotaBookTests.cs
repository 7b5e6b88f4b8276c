using Microsoft.Extensions.Time.Testing;
using Spillway.Core.KeyState;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Tests.KeyState;

public sealed class QuotaBookTests
{
    // 10:00 UTC on a November day: 02:00 in Los Angeles (PST, UTC-8).
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly QuotaScope Key = new("k1", string.Empty);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly QuotaBook _book = new();

    private static QuotaRules Rules(KeyLimits limits, DailyResetRule reset = DailyResetRule.UtcMidnight) => new(limits, reset);

    private DateTimeOffset Now => _time.GetUtcNow();

    [Fact]
    public void TryAdmit_RpmSpent_RefusedUntilTheOldestRequestLeavesTheSlidingMinute()
    {
        var rules = Rules(new KeyLimits(Rpm: 2));
        Assert.True(_book.TryAdmit(Key, rules, null, Now).Admitted);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(_book.TryAdmit(Key, rules, null, Now).Admitted);
        _time.Advance(TimeSpan.FromSeconds(20));

        var refused = _book.TryAdmit(Key, rules, null, Now);

        Assert.False(refused.Admitted);
        Assert.Equal(QuotaMeasure.Rpm, refused.Measure);
        Assert.Equal(0, refused.Remaining);
        Assert.Equal(T0.AddMinutes(1), refused.ResetAt);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(_book.TryAdmit(Key, rules, null, Now).Admitted);
        Assert.False(_book.TryAdmit(Key, rules, null, Now).Admitted);
    }

    [Fact]
    public void InferMinuteLimit_UnknownLimit_TheCallsOfTheLastMinuteBecomeTheLimitAndAreAdmittedAgainst()
    {
        var rules = Rules(KeyLimits.Unknown);
        for (var i = 0; i < 3; i++)
        {
            _book.Settle(_book.TryAdmit(Key, rules, null, Now).Reservation!, null);
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        var refused = _book.TryAdmit(Key, rules, null, Now).Reservation!;
        _book.Release(refused);

        Assert.Equal(3, _book.InferMinuteLimit(Key, rules, Now));
        Assert.False(_book.TryAdmit(Key, rules, null, Now).Admitted);
        var figure = _book.Figures(Key, rules, Now)[QuotaMeasure.Rpm];
        Assert.Equal(3, figure.Limit);
        Assert.True(figure.LimitInferred);
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.True(_book.TryAdmit(Key, rules, null, Now).Admitted);
    }

    [Fact]
    public void InferMinuteLimit_ASoonerRefusalLowersIt_AStatedLimitReplacesIt_ADayForgetsIt()
    {
        var rules = Rules(KeyLimits.Unknown);
        Take(4, rules);
        Assert.Equal(4, _book.InferMinuteLimit(Key, rules, Now));
        _time.Advance(TimeSpan.FromMinutes(2));
        Take(2, rules);
        Assert.Equal(2, _book.InferMinuteLimit(Key, rules, Now));

        _book.Learn(Key, QuotaMeasure.Rpm, 30, Now);
        Assert.Null(_book.InferMinuteLimit(Key, rules, Now));
        Assert.False(_book.Figures(Key, rules, Now)[QuotaMeasure.Rpm].LimitInferred);

        var other = new QuotaScope("k2", string.Empty);
        _book.Settle(_book.TryAdmit(other, rules, null, Now).Reservation!, null);
        Assert.Equal(1, _book.InferMinuteLimit(other, rules, Now));
        _time.Advance(QuotaWindow.InferredLifetime);
        Assert.Null(_book.Figures(other, rules, Now)[QuotaMeasure.Rpm].Limit);
    }

    [Fact]
    public void InferMinuteLimit_ConfiguredLimitOrNoCalls_NothingInferred()
    {
        Assert.Null(_book.InferMinuteLimit(Key, Rules(KeyLimits.Unknown), Now));
        Take(2, Rules(new KeyLimits(Rpm: 5)));
        Assert.Null(_book.InferMinuteLimit(Key, Rules(new KeyLimits(Rpm: 5)), Now));
    }

    private void Take(int calls, QuotaRules rules)
    {
        for (var i = 0; i < calls; i++)
        {
            _book.Settle(_book.TryAdmit(Key, rules, null, Now).Reservation!, null);
        }
    }

    [Fact]
    public void TryAdmit_RpdSpent_RefusedUntilPacificMidnight()
    {
        var rules = Rules(new KeyLimits(Rpd: 1), DailyResetRule.PacificMidnight);
        Assert.True(_book.TryAdmit(Key, rules, null, Now).Admitted);

        var refused = _book.TryAdmit(Key, rules, null, Now);

        // 00:00 in Los Angeles on Nov 28 is 08:00 UTC.
        var midnight = new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal(QuotaMeasure.Rpd, refused.Measure);
        Assert.Equal(midnight, refused.ResetAt);
        _time.Advance(midnight - Now - TimeSpan.FromSeconds(1));
        Assert.False(_book.TryAdmit(Key, rules, null, Now).Admitted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_book.TryAdmit(Key, rules, null, Now).Admitted);
    }

    [Fact]
    public void TryAdmit_TokensAboveWhatIsLeft_RefusedOnTpmWithTheEstimate()
    {
        var rules = Rules(new KeyLimits(Tpm: 1000));
        Assert.True(_book.TryAdmit(Key, rules, 700, Now).Admitted);

        var refused = _book.TryAdmit(Key, rules, 400, Now);

        Assert.Equal(QuotaMeasure.Tpm, refused.Measure);
        Assert.Equal(400, refused.Needed);
        Assert.Equal(300, refused.Remaining);
        Assert.Equal("tpm 300 of 1000 left, needs 400; resets at 2026-11-27T10:01:00.0000000+00:00", refused.Describe());
        Assert.True(_book.TryAdmit(Key, rules, 300, Now).Admitted);
    }

    [Fact]
    public void Settle_RealUsageBelowTheEstimate_GivesTheDifferenceBack()
    {
        var rules = Rules(new KeyLimits(Tpm: 1000, Tpd: 5000));
        var held = _book.TryAdmit(Key, rules, 900, Now).Reservation!;
        Assert.False(_book.TryAdmit(Key, rules, 200, Now).Admitted);

        _book.Settle(held, 100);

        Assert.True(_book.TryAdmit(Key, rules, 200, Now).Admitted);
        var figures = _book.Figures(Key, rules, Now);
        Assert.Equal(700, figures[QuotaMeasure.Tpm].Remaining);
        Assert.Equal(4700, figures[QuotaMeasure.Tpd].Remaining);
    }

    [Fact]
    public void Release_GivesTheRequestAndTokensBack()
    {
        var rules = Rules(new KeyLimits(Rpm: 1, Rpd: 1, Tpm: 100));
        var held = _book.TryAdmit(Key, rules, 100, Now).Reservation!;
        Assert.False(_book.TryAdmit(Key, rules, 1, Now).Admitted);

        _book.Release(held);
        _book.Release(held);

        var figures = _book.Figures(Key, rules, Now);
        Assert.Equal(1, figures[QuotaMeasure.Rpm].Remaining);
        Assert.Equal(1, figures[QuotaMeasure.Rpd].Remaining);
        Assert.Equal(100, figures[QuotaMeasure.Tpm].Remaining);
    }

    [Fact]
    public void SettleRelease_ReservationOfAnotherStore_LeaveTheBookAlone()
    {
        var rules = Rules(new KeyLimits(Rpm: 1));
        Assert.True(_book.TryAdmit(Key, rules, null, Now).Admitted);
        var foreign = new QuotaReservation(Key, 0, new object());

        _book.Settle(foreign, 10);
        _book.Release(foreign);

        Assert.Equal(0, _book.Figures(Key, rules, Now)[QuotaMeasure.Rpm].Remaining);
    }

    [Fact]
    public void Observe_StatedRemainingZero_RefusedUntilTheStatedResetThoughNoLimitIsKnown()
    {
        var rules = Rules(KeyLimits.Unknown);
        _book.Observe(Key, rules, QuotaMeasure.Rpd, null, 0, T0.AddMinutes(3), Now);

        var refused = _book.TryAdmit(Key, rules, null, Now);

        Assert.Equal(QuotaMeasure.Rpd, refused.Measure);
        Assert.Null(refused.Limit);
        Assert.Equal(T0.AddMinutes(3), refused.ResetAt);
        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.True(_book.TryAdmit(Key, rules, null, Now).Admitted);
    }

    [Fact]
    public void Observe_StatedRemaining_CountsDownWithRequestsMadeAfterIt()
    {
        var rules = Rules(KeyLimits.Unknown);
        _book.Observe(Key, rules, QuotaMeasure.Rpm, null, 2, T0.AddSeconds(30), Now);

        Assert.True(_book.TryAdmit(Key, rules, null, Now).Admitted);
        Assert.True(_book.TryAdmit(Key, rules, null, Now).Admitted);
        Assert.False(_book.TryAdmit(Key, rules, null, Now).Admitted);
    }

    [Fact]
    public void Observe_StatedLimit_BeatsTheConfiguredOne()
    {
        var rules = Rules(new KeyLimits(Rpd: 1000));
        _book.Observe(Key, rules, QuotaMeasure.Rpd, 14_400, 14_399, T0.AddSeconds(6), Now);
        _time.Advance(TimeSpan.FromMinutes(1));

        var figures = _book.Figures(Key, rules, Now);

        Assert.Equal(14_400, figures[QuotaMeasure.Rpd].Limit);
        Assert.Equal(14_400, figures[QuotaMeasure.Rpd].Remaining);
    }

    [Fact]
    public void Settle_AfterTheAnswerStatedWhatIsLeft_DoesNotCountTheCallTwice()
    {
        var rules = Rules(KeyLimits.Unknown);
        var held = _book.TryAdmit(Key, rules, 0, Now).Reservation!;
        // The answer's headers already include this call: 500 tokens spent, 500 left.
        _book.Observe(Key, rules, QuotaMeasure.Tpm, 1000, 500, T0.AddSeconds(30), Now);

        _book.Settle(held, 500);

        Assert.Equal(500, _book.Figures(Key, rules, Now)[QuotaMeasure.Tpm].Remaining);
    }

    [Fact]
    public void Learn_LimitNamedByARefusal_ReplacesTheConfiguredFigure()
    {
        var rules = Rules(new KeyLimits(Rpd: 5));
        Assert.True(_book.TryAdmit(Key, rules, null, Now).Admitted);
        Assert.True(_book.TryAdmit(Key, rules, null, Now).Admitted);

        _book.Learn(Key, QuotaMeasure.Rpd, 2, Now);

        Assert.False(_book.TryAdmit(Key, rules, null, Now).Admitted);
        Assert.Equal(2, _book.Figures(Key, rules, Now)[QuotaMeasure.Rpd].Limit);
    }

    [Fact]
    public void CountsTokens_OnlyWhereATokenQuotaIsKnown()
    {
        var model = new QuotaScope("k1", "m1");
        Assert.False(_book.CountsTokens(model, Rules(new KeyLimits(Rpm: 5)), Now));
        Assert.True(_book.CountsTokens(model, Rules(new KeyLimits(Tpd: 5)), Now));

        _book.Observe(model, Rules(KeyLimits.Unknown), QuotaMeasure.Tpm, 12_000, 11_000, T0.AddSeconds(5), Now);

        Assert.True(_book.CountsTokens(model, Rules(KeyLimits.Unknown), Now));
    }

    [Fact]
    public void Scopes_PerModelQuotasAreCountedApart()
    {
        var rules = Rules(new KeyLimits(Rpm: 1));
        Assert.True(_book.TryAdmit(new QuotaScope("k1", "m1"), rules, null, Now).Admitted);

        Assert.True(_book.TryAdmit(new QuotaScope("k1", "m2"), rules, null, Now).Admitted);
        Assert.False(_book.TryAdmit(new QuotaScope("k1", "m1"), rules, null, Now).Admitted);
    }

    [Fact]
    public void ExportImport_KeepsDayCountersLearnedLimitsAndStatementsButNotTheMinute()
    {
        var rules = Rules(new KeyLimits(Rpm: 1, Rpd: 2));
        Assert.True(_book.TryAdmit(Key, rules, null, Now).Admitted);
        _book.Learn(Key, QuotaMeasure.Tpd, 50_000, Now);
        _book.Observe(Key, rules, QuotaMeasure.Tpm, null, 0, T0.AddMinutes(2), Now);

        var restored = new QuotaBook();
        restored.Import(_book.Export(Now));

        var figures = restored.Figures(Key, rules, Now);
        Assert.Equal(1, figures[QuotaMeasure.Rpd].Remaining);
        Assert.Equal(1, figures[QuotaMeasure.Rpm].Remaining);
        Assert.Equal(50_000, figures[QuotaMeasure.Tpd].Limit);
        Assert.Equal(0, figures[QuotaMeasure.Tpm].Remaining);
        Assert.Equal(T0.AddMinutes(2), figures[QuotaMeasure.Tpm].ResetAt);
    }
}
