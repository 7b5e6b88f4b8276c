namespace Spillway.Core.Ledger;

/// <summary>How the <see cref="LedgerWriter"/> queues and batches entries.</summary>
public sealed record LedgerWriterOptions
{
    /// <summary>Entries the queue holds before new ones are dropped. Default 10,000.</summary>
    public int Capacity { get; init; } = 10_000;

    /// <summary>The most entries written to the store in one call (one transaction). Default 256.</summary>
    public int MaxBatchSize { get; init; } = 256;

    /// <summary>
    /// How long the writer waits, from the first entry of a batch, for more entries to join it before writing: busy
    /// periods then write a few large transactions instead of one per request. The wait ends early once a full batch
    /// (<see cref="MaxBatchSize"/>) is queued, and on a flush or disposal. Zero writes whatever is queued at once.
    /// Timed by the writer's batch-window clock (see the <see cref="LedgerWriter"/> constructor). Default 20 ms.
    /// </summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The wait before the first retry of a failed batch; it doubles on each further failure. Default 500 ms.</summary>
    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two retries of a failed batch. Default 30 s.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws when a value is out of range.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Capacity, 1, nameof(Capacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchWindow, TimeSpan.Zero, nameof(BatchWindow));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BatchWindow, TimeSpan.FromHours(1), nameof(BatchWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryInitialDelay, TimeSpan.Zero, nameof(RetryInitialDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryMaxDelay, RetryInitialDelay, nameof(RetryMaxDelay));
    }
}
