using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Spillway.Core.Ledger;

/// <summary>
/// Takes ledger entries from the hot path and writes them to an <see cref="ILedgerStore"/> in batches, in the background.
/// </summary>
/// <remarks>
/// <para>
/// The background loop starts in the constructor; the store must already be initialized
/// (<see cref="ILedgerStore.InitializeAsync"/>) by whoever owns it. Dispose the writer on shutdown so the queue is drained.
/// </para>
/// <para>
/// <see cref="Enqueue"/> never waits and never fails: when the bounded queue is full, or the writer is disposed, the entry
/// is dropped and counted in <see cref="DroppedCount"/>, and a warning is logged. The ledger is bookkeeping; a slow disk
/// must not slow down or fail a client's request.
/// </para>
/// <para>
/// Once an entry is queued, the loop waits up to <see cref="LedgerWriterOptions.BatchWindow"/> for more to join it, then
/// takes whatever is queued, up to <see cref="LedgerWriterOptions.MaxBatchSize"/>, and writes it in one call. The window
/// ends early as soon as a full batch is queued, and on <see cref="FlushAsync"/> or disposal, so neither waits for it.
/// A failed batch is logged and retried with exponential backoff (timed by the <see cref="TimeProvider"/>) until it
/// succeeds; meanwhile new entries queue up and, once the queue is full, are dropped. A batch is only given up during
/// disposal: a failure then is not retried, and that batch and everything still queued are dropped, so a broken store
/// cannot hang shutdown.
/// </para>
/// </remarks>
public sealed partial class LedgerWriter : ILedgerSink, IAsyncDisposable
{
    private readonly ILedgerStore _store;
    private readonly LedgerWriterOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly TimeProvider _batchWindowTime;
    private readonly ILogger _logger;
    private readonly Channel<LedgerWorkItem> _channel;

    // Cancelled by DisposeAsync: cuts a backoff wait short and tells the loop to give up on failures.
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Task _loop;

    private long _dropped;
    private long _written;
    private int _disposed;

    // Entries queued and not yet written or dropped (those in the batch being written or retried included).
    private long _pending;

    // True from a failed write until the next successful one.
    private volatile bool _storeFailing;

    // 1 when the next drop should log. Re-armed after each successful write, so a flood of drops logs about once per
    // batch written instead of once per request.
    private int _dropWarningArmed = 1;

    // Set by the loop once it has given up during disposal: everything left is dropped without calling the store.
    private bool _abandoned;

    // The current batch window's early end: completed by whoever makes the batch due (a full queue, a flush, disposal).
    // The loop publishes a fresh one per window, then checks the same conditions itself, so a cut that came before the
    // window is not missed.
    private TaskCompletionSource? _windowCut;

    // Flush markers queued (by FlushAsync) and taken off the queue (by the loop): a difference means a flush is waiting.
    private long _flushesQueued;
    private long _flushesTaken;

    /// <summary>Creates the writer and starts its background loop.</summary>
    /// <param name="store">Where entries go; initialized by the caller.</param>
    /// <param name="timeProvider">Times the retry backoff, and the batch window unless <paramref name="batchWindowTime"/> is given.</param>
    /// <param name="options">Queue and batch sizes, retry delays; defaults when null.</param>
    /// <param name="logger">Gets drop warnings and store failures; nothing is logged when null.</param>
    /// <param name="batchWindowTime">
    /// Times the batch window when it must not follow <paramref name="timeProvider"/>: a test gateway on a frozen clock
    /// passes the real one here (<c>LedgerBatchWindowTime</c> in <c>src/Spillway/Hosting/SpillwayAppOptions.cs</c>)
    /// because the window bounds how far the file lags behind, and a frozen clock must not hold entries back forever.
    /// </param>
    public LedgerWriter(
        ILedgerStore store,
        TimeProvider timeProvider,
        LedgerWriterOptions? options = null,
        ILogger<LedgerWriter>? logger = null,
        TimeProvider? batchWindowTime = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options ?? new LedgerWriterOptions();
        _options.Validate();
        _store = store;
        _timeProvider = timeProvider;
        _batchWindowTime = batchWindowTime ?? timeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;

        // FullMode.Wait makes TryWrite report "full" instead of evicting an older entry, which lets Enqueue count the
        // drop while FlushAsync can still wait for room to queue its marker.
        _channel = Channel.CreateBounded<LedgerWorkItem>(new BoundedChannelOptions(_options.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });

        // The loop outlives whatever created the writer; it must not carry that caller's ambient state (activities,
        // logging scopes) into every write.
        using (ExecutionContext.SuppressFlow())
        {
            _loop = Task.Run(RunAsync);
        }
    }

    /// <summary>
    /// Entries that never reached the store: dropped because the queue was full or the writer was disposed, or given up
    /// on after a store failure during disposal.
    /// </summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Entries the store has accepted.</summary>
    public long WrittenCount => Interlocked.Read(ref _written);

    /// <summary>
    /// Entries waiting to be written: queued, or in the batch being written or retried. At most about
    /// <see cref="Capacity"/> plus one batch; beyond that new entries are dropped.
    /// </summary>
    public long QueuedCount => Interlocked.Read(ref _pending);

    /// <summary>How many entries the queue holds before new ones are dropped (<see cref="LedgerWriterOptions.Capacity"/>).</summary>
    public int Capacity => _options.Capacity;

    /// <summary>
    /// True while the store cannot be written: from a failed write until a write (a retry of that batch) succeeds.
    /// Meanwhile entries wait in the queue, and once it is full they are dropped.
    /// </summary>
    public bool IsStoreFailing => _storeFailing;

    /// <summary>Queues an entry for writing and returns at once; drops it (and counts it) when the queue is full.</summary>
    public void Enqueue(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        // Counted before it is queued, so the loop never takes it off the count before it was added.
        Interlocked.Increment(ref _pending);
        if (_channel.Writer.TryWrite(new LedgerWorkItem(entry)))
        {
            if (_options.BatchWindow > TimeSpan.Zero && _channel.Reader.Count >= _options.MaxBatchSize)
            {
                CutWindow();
            }

            return;
        }

        Interlocked.Decrement(ref _pending);
        var dropped = Interlocked.Increment(ref _dropped);
        if (Interlocked.Exchange(ref _dropWarningArmed, 0) == 1)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                Log.WriterClosed(_logger, dropped);
            }
            else
            {
                Log.QueueFull(_logger, _options.Capacity, dropped);
            }
        }
    }

    /// <summary>
    /// Completes when every entry enqueued before this call has been written (or, during disposal, given up on).
    /// Waits through store failures and retries; <paramref name="cancellationToken"/> only stops the waiting.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            // Unlike Enqueue this may wait for room: a flush is not on the hot path, and its marker must not be lost.
            await _channel.Writer.WriteAsync(new LedgerWorkItem(flushed), cancellationToken);
            Interlocked.Increment(ref _flushesQueued);
            CutWindow();
        }
        catch (ChannelClosedException)
        {
            // Disposed: the loop drains whatever was queued before finishing.
            await _loop.WaitAsync(cancellationToken);
            return;
        }

        await flushed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops taking entries, writes everything still queued, then stops the loop.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await _loop;
            return;
        }

        _channel.Writer.TryComplete();
        await _shutdown.CancelAsync();
        CutWindow();
        await _loop;
        _shutdown.Dispose();

        var dropped = DroppedCount;
        if (dropped > 0)
        {
            Log.StoppedWithDrops(_logger, dropped);
        }
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<LedgerEntry>(_options.MaxBatchSize);
        var flushes = new List<TaskCompletionSource>();

        // Ends once the channel is completed (DisposeAsync) and empty.
        while (await reader.WaitToReadAsync())
        {
            if (_options.BatchWindow > TimeSpan.Zero)
            {
                await WaitForBatchWindowAsync();
            }

            // Take what is there by now: an idle gateway writes each entry once its window is over, a busy one fills batches.
            while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var item))
            {
                if (item.Entry is { } entry)
                {
                    batch.Add(entry);
                }
                else if (item.Flushed is { } flushed)
                {
                    flushes.Add(flushed);
                    _flushesTaken++;
                }
            }

            await WriteBatchAsync(batch);
            batch.Clear();

            // Markers complete only after the entries read with them are written: those were queued ahead of them.
            foreach (var flushed in flushes)
            {
                flushed.TrySetResult();
            }

            flushes.Clear();
        }
    }

    private async Task WaitForBatchWindowAsync()
    {
        var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _windowCut, cut);
        if (_channel.Reader.Count >= _options.MaxBatchSize
            || Interlocked.Read(ref _flushesQueued) > _flushesTaken
            || _shutdown.IsCancellationRequested)
        {
            return;
        }

        await cut.Task.WaitAsync(_options.BatchWindow, _batchWindowTime).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void CutWindow() => Volatile.Read(ref _windowCut)?.TrySetResult();

    private async Task WriteBatchAsync(List<LedgerEntry> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        if (_abandoned)
        {
            Interlocked.Add(ref _dropped, batch.Count);
            Interlocked.Add(ref _pending, -batch.Count);
            return;
        }

        var delay = _options.RetryInitialDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // No cancellation: a write that has started is allowed to finish, even during disposal.
                await _store.AppendAsync(batch, CancellationToken.None);
                Interlocked.Add(ref _written, batch.Count);
                Interlocked.Add(ref _pending, -batch.Count);
                _storeFailing = false;
                Volatile.Write(ref _dropWarningArmed, 1);
                if (attempt > 1)
                {
                    Log.StoreRecovered(_logger, batch.Count, attempt);
                }

                return;
            }
            catch (Exception ex) when (!_shutdown.IsCancellationRequested)
            {
                _storeFailing = true;
                Log.StoreFailed(_logger, ex, batch.Count, attempt, delay);
                await WaitBeforeRetryAsync(delay);
                delay = delay >= _options.RetryMaxDelay / 2 ? _options.RetryMaxDelay : delay * 2;
            }
            catch (Exception ex)
            {
                // Disposing: retrying could hold shutdown hostage to a broken store.
                _abandoned = true;
                _storeFailing = true;
                Interlocked.Add(ref _dropped, batch.Count);
                Interlocked.Add(ref _pending, -batch.Count);
                Log.GaveUpOnShutdown(_logger, ex, batch.Count, _channel.Reader.Count);
                return;
            }
        }
    }

    private async Task WaitBeforeRetryAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _timeProvider, _shutdown.Token);
        }
        catch (OperationCanceledException)
        {
            // Disposal cut the wait short: the batch gets one last try right away.
        }
    }
}
