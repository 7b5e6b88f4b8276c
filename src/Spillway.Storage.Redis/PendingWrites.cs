using System.Collections.Concurrent;

namespace Spillway.Storage.Redis;

/// <summary>
/// The writes a store sent to Redis without making a request wait for them, so that tests and shutdown can wait
/// until every one of them was answered (or failed): <see cref="Track"/> as they start, <see cref="FlushAsync"/> to
/// wait for all that are still on their way.
/// </summary>
internal sealed class PendingWrites
{
    private readonly ConcurrentDictionary<Task, byte> _pending = new();

    public void Track(Task task)
    {
        if (task.IsCompleted)
        {
            return;
        }

        _pending.TryAdd(task, 0);
        _ = task.ContinueWith(
            static (done, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(done, out _),
            _pending,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Waits until every tracked write, and every write those started, has been answered.</summary>
    public async Task FlushAsync()
    {
        while (!_pending.IsEmpty)
        {
            await Task.WhenAll(_pending.Keys);
        }
    }
}
