using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Spillway.Core.Tests.Ledger;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells when a timer has been created, so a test advances the clock only once
/// the code under test is really waiting on it.
/// </summary>
internal sealed class TimerSignalingTimeProvider : FakeTimeProvider
{
    /// <summary>Released once per timer created, after it is registered.</summary>
    public SemaphoreSlim TimerCreated { get; } = new(0);

    /// <summary>The due time of each timer, in creation order.</summary>
    public ConcurrentQueue<TimeSpan> DueTimes { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        DueTimes.Enqueue(dueTime);
        TimerCreated.Release();
        return timer;
    }
}
