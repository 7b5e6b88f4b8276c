using Spillway.Core.KeyState;
using Spillway.Core.Providers;
using Spillway.Core.Providers.RateLimits;
using Spillway.Storage.Redis.Quotas;

namespace Spillway.Storage.Redis.Tests.Quotas;

public sealed class AdmissionQueueTests
{
    private static readonly QuotaScope Scope = new("k1", string.Empty);
    private static readonly QuotaRules Rpm4 = new(new KeyLimits(Rpm: 4), DailyResetRule.UtcMidnight);
    private static readonly QuotaRules Rpm8 = new(new KeyLimits(Rpm: 8), DailyResetRule.UtcMidnight);
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private readonly AdmissionQueue _queue = new();
    private readonly List<List<QueuedAdmission>> _sent = [];

    [Fact]
    public void Join_NothingOnItsWay_SendsAtOnceThenQueuesTheNextUntilTheAnswer()
    {
        var first = Admission(Rpm4);
        var second = Admission(Rpm4);

        Assert.True(_queue.Join(first));
        Assert.True(first.Sent);
        Assert.False(_queue.Join(second));
        Assert.False(second.Sent);

        _queue.SendNext(_sent.Add);

        Assert.Equal([second], Assert.Single(_sent));
        Assert.True(second.Sent);
        _queue.SendNext(_sent.Add);
        Assert.Single(_sent);
        Assert.True(_queue.Join(Admission(Rpm4)));
    }

    [Fact]
    public void SendNext_WaitingAdmissionsWithOtherRules_GoInAScriptOfTheirOwn()
    {
        _queue.Join(Admission(Rpm4));
        var waiting = new[] { Admission(Rpm4), Admission(Rpm8), Admission(Rpm4) };
        foreach (var admission in waiting)
        {
            _queue.Join(admission);
        }

        _queue.SendNext(_sent.Add);
        _queue.SendNext(_sent.Add);

        Assert.Equal([waiting[0], waiting[2]], _sent[0]);
        Assert.Equal([waiting[1]], _sent[1]);
    }

    [Fact]
    public void SendNext_MoreWaitingThanAScriptTakes_SendsTheRestNext()
    {
        _queue.Join(Admission(Rpm4));
        for (var i = 0; i < AdmissionQueue.MostPerScript + 3; i++)
        {
            _queue.Join(Admission(Rpm4));
        }

        _queue.SendNext(_sent.Add);
        _queue.SendNext(_sent.Add);

        Assert.Equal([AdmissionQueue.MostPerScript, 3], _sent.Select(batch => batch.Count));
    }

    [Fact]
    public void Abandon_BeforeItsTurn_IsNeverSentAndNeedsNoTakeBack()
    {
        var first = Admission(Rpm4);
        var gaveUp = Admission(Rpm4);
        _queue.Join(first);
        _queue.Join(gaveUp);

        Assert.False(_queue.Abandon(gaveUp));
        Assert.True(_queue.Abandon(first));

        _queue.SendNext(_sent.Add);
        Assert.Empty(_sent);
        Assert.True(_queue.Join(Admission(Rpm4)));
    }

    private static QueuedAdmission Admission(QuotaRules rules) => new(Scope, rules, null, T0, Guid.NewGuid().ToString("N", System.Globalization.CultureInfo.InvariantCulture));
}
