namespace Spillway.Core.Ledger;

/// <summary>How the <see cref="LedgerWriter"/> queues and batches entries.</summary>
public sealed record LedgerWriterOptions
{
    /// <summary>Entries the queue holds before new ones are dropped. Default 10,000.</summary>
    public int Capacity { get; init; } = 10_000;

    /// <summary>The most entries written to the store in one call (one transaction). Default 256.</summary>
    public int MaxBatchSize { get; init; } = 256;

    /// <summary>The wait before the first retry of a failed batch; it doubles on each further failure. Default 500 ms.</summary>
    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two retries of a failed batch. Default 30 s.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws when a value is out of range.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Capacity, 1, nameof(Capacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryInitialDelay, TimeSpan.Zero, nameof(RetryInitialDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryMaxDelay, RetryInitialDelay, nameof(RetryMaxDelay));
    }
}
