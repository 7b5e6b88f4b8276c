namespace Spillway.Bench.Load.Upstream;

/// <summary>
/// Paces the simulated streams: one thread sleeps 1 ms at a time and releases every stream waiting for the tick.
/// </summary>
/// <remarks>
/// <c>Task.Delay(1)</c> is no 1 ms pause here: .NET's timer queue wakes about every 4 ms on this kind of machine,
/// which stretched a 10-word stream to 40 ms. <c>Thread.Sleep(1)</c> wakes after about 1.1 ms. The thread only
/// ticks while some stream waits, so an idle benchmark costs nothing.
/// </remarks>
internal sealed class PaceClock : IDisposable
{
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _wanted = new(false);
    private TaskCompletionSource _tick = NewTick();
    private volatile bool _stopped;

    public PaceClock()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "pace clock" };
        _thread.Start();
    }

    /// <summary>Completes at the next tick, about 1 ms from now.</summary>
    public Task NextTickAsync(CancellationToken cancellationToken)
    {
        var tick = Volatile.Read(ref _tick).Task;
        _wanted.Set();
        return tick.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _stopped = true;
        _wanted.Set();
        _thread.Join();
        _wanted.Dispose();
        Interlocked.Exchange(ref _tick, NewTick()).TrySetCanceled();
    }

    private void Run()
    {
        while (true)
        {
            _wanted.Wait();
            if (_stopped)
            {
                return;
            }

            _wanted.Reset();
            Thread.Sleep(1);
            Interlocked.Exchange(ref _tick, NewTick()).SetResult();
        }
    }

    // Continuations run on the thread pool, not on the clock's thread, so one slow stream cannot delay the tick.
    private static TaskCompletionSource NewTick() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
