using Spillway.Core.Ledger;

namespace Spillway.Core.Tests.Ledger;

/// <summary>
/// An in-memory <see cref="ILedgerStore"/> that can be told to fail, or to hold each call until released.
/// </summary>
internal sealed class FakeLedgerStore : ILedgerStore
{
    // A gate nobody opens (a test that failed before Release) times out as a store failure, so disposing the writer
    // ends and the test reports its failure instead of hanging.
    private static readonly TimeSpan GateTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly List<LedgerEntry> _entries = [];
    private readonly List<int> _batchSizes = [];
    private readonly TaskCompletionSource _gate = NewSource();
    private int _calls;

    /// <summary>When true, each call waits for <see cref="Release"/>.</summary>
    public bool Gated { get; init; }

    /// <summary>Calls that throw before one succeeds; negative for "always".</summary>
    public int FailuresLeft { get; set; }

    /// <summary>Released once at the start of every call.</summary>
    public SemaphoreSlim CallStarted { get; } = new(0);

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<LedgerEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    public IReadOnlyList<int> BatchSizes
    {
        get
        {
            lock (_lock)
            {
                return [.. _batchSizes];
            }
        }
    }

    /// <summary>Lets the waiting call, and every later one, through.</summary>
    public void Release() => _gate.TrySetResult();

    public ValueTask InitializeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask AppendAsync(IReadOnlyList<LedgerEntry> batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        CallStarted.Release();
        if (Gated)
        {
            await _gate.Task.WaitAsync(GateTimeout, cancellationToken);
        }

        lock (_lock)
        {
            if (FailuresLeft != 0)
            {
                FailuresLeft--;
                throw new IOException("disk says no");
            }

            _entries.AddRange(batch);
            _batchSizes.Add(batch.Count);
        }
    }

    public ValueTask<LedgerPage?> ListPageAsync(int limit, string? beforeId, CancellationToken cancellationToken)
    {
        var newest = Entries.Reverse().ToList();
        var start = beforeId is null ? 0 : newest.FindIndex(e => e.Id == beforeId) + 1;
        if (start == 0 && beforeId is not null)
        {
            return ValueTask.FromResult<LedgerPage?>(null);
        }

        var page = newest.Skip(start).Take(limit).ToList();
        return ValueTask.FromResult<LedgerPage?>(new LedgerPage(page, newest.Count > start + limit));
    }

    public ValueTask<long> PruneAsync(DateTimeOffset olderThan, int batchSize, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult<long>(_entries.RemoveAll(e => e.Time < olderThan));
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
