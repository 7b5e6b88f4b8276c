using Microsoft.Extensions.Logging;
using Spillway.Core.Ledger;

namespace Spillway.Core.Tests.Ledger;

public sealed class LedgerWriterTests
{
    // Only bounds a wait that should end at once; no test relies on it passing for correctness.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task FlushAsync_AfterEnqueue_EntryIsInStore()
    {
        var store = new FakeLedgerStore();
        await using var writer = new LedgerWriter(store, TimeProvider.System);
        var entry = TestEntries.Create("a");

        writer.Enqueue(entry);
        await writer.FlushAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.Same(entry, Assert.Single(store.Entries));
        Assert.Equal(1, writer.WrittenCount);
        Assert.Equal(0, writer.DroppedCount);
    }

    [Fact]
    public async Task FlushAsync_NothingEnqueued_CompletesWithoutCallingStore()
    {
        var store = new FakeLedgerStore();
        await using var writer = new LedgerWriter(store, TimeProvider.System);

        await writer.FlushAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(0, store.Calls);
    }

    [Fact]
    public async Task Enqueue_ThousandEntriesFromEightThreads_AllStoredAfterFlush()
    {
        var store = new FakeLedgerStore();
        await using var writer = new LedgerWriter(store, TimeProvider.System);
        var entries = TestEntries.Many(1000);

        using var go = new ManualResetEventSlim();
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            go.Wait();
            for (var i = t; i < entries.Length; i += 8)
            {
                writer.Enqueue(entries[i]);
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        go.Set();
        threads.ForEach(thread => thread.Join());
        await writer.FlushAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(entries.Select(e => e.Id).Order(), store.Entries.Select(e => e.Id).Order());
        Assert.Equal(1000, writer.WrittenCount);
        Assert.Equal(0, writer.DroppedCount);
    }

    [Fact]
    public async Task Enqueue_QueueFull_DropsCountsAndWarnsOnce()
    {
        var store = new FakeLedgerStore { Gated = true };
        var logger = new ListLogger<LedgerWriter>();
        await using var writer = new LedgerWriter(
            store, TimeProvider.System, new LedgerWriterOptions { Capacity = 4, MaxBatchSize = 1 }, logger: logger);
        var entries = TestEntries.Many(8);

        writer.Enqueue(entries[0]);
        Assert.True(await store.CallStarted.WaitAsync(Patience)); // the loop now holds entry 0 inside the store
        foreach (var entry in entries[1..])
        {
            writer.Enqueue(entry); // 1..4 fill the queue, 5..7 find it full
        }

        Assert.Equal(3, writer.DroppedCount);
        store.Release();
        await writer.FlushAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(entries[..5].Select(e => e.Id), store.Entries.Select(e => e.Id));
        Assert.Equal(3, writer.DroppedCount);
        Assert.Single(logger.Records, r => r.Level == LogLevel.Warning && r.EventId.Id == 4001);
    }

    [Fact]
    public async Task Enqueue_QueuedWhileStoreBusy_WrittenInBatchesOfAtMostMax()
    {
        var store = new FakeLedgerStore { Gated = true };
        await using var writer = new LedgerWriter(store, TimeProvider.System, new LedgerWriterOptions { MaxBatchSize = 4 });
        var entries = TestEntries.Many(11);

        writer.Enqueue(entries[0]);
        Assert.True(await store.CallStarted.WaitAsync(Patience));
        foreach (var entry in entries[1..])
        {
            writer.Enqueue(entry);
        }

        store.Release();
        await writer.FlushAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.Equal([1, 4, 4, 2], store.BatchSizes);
        Assert.Equal(entries.Select(e => e.Id), store.Entries.Select(e => e.Id));
    }

    [Fact]
    public async Task FlushAsync_StoreFailsTwice_RetriesWithDoublingBackoffAndLosesNothing()
    {
        var time = new TimerSignalingTimeProvider();
        var store = new FakeLedgerStore { FailuresLeft = 2 };
        var logger = new ListLogger<LedgerWriter>();
        var options = new LedgerWriterOptions
        {
            RetryInitialDelay = TimeSpan.FromSeconds(1),
            RetryMaxDelay = TimeSpan.FromSeconds(30),
        };
        await using var writer = new LedgerWriter(store, time, options, logger, batchWindowTime: TimeProvider.System);
        var entries = TestEntries.Many(3);
        foreach (var entry in entries)
        {
            writer.Enqueue(entry);
        }

        var flush = writer.FlushAsync(CancellationToken.None);

        Assert.True(await time.TimerCreated.WaitAsync(Patience)); // first failure: backing off 1 s
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(1, store.Calls);
        Assert.False(flush.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await time.TimerCreated.WaitAsync(Patience)); // second failure: backing off 2 s
        Assert.Equal(2, store.Calls);
        Assert.False(flush.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(2));
        await flush.WaitAsync(Patience);

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], time.DueTimes);
        Assert.Equal(entries.Select(e => e.Id), store.Entries.Select(e => e.Id));
        Assert.Equal(3, writer.WrittenCount);
        Assert.Equal(0, writer.DroppedCount);
        Assert.Equal(2, logger.Records.Count(r => r.Level == LogLevel.Error && r.EventId.Id == 4003));
    }

    [Fact]
    public async Task IsStoreFailing_StoreFailsThenRecovers_TrueWithEntriesQueuedUntilTheRetryWrites()
    {
        var time = new TimerSignalingTimeProvider();
        var store = new FakeLedgerStore { FailuresLeft = 1 };
        var options = new LedgerWriterOptions { Capacity = 5, RetryInitialDelay = TimeSpan.FromSeconds(1) };
        await using var writer = new LedgerWriter(store, time, options, batchWindowTime: TimeProvider.System);
        Assert.False(writer.IsStoreFailing);
        Assert.Equal(5, writer.Capacity);

        writer.Enqueue(TestEntries.Create("a"));
        writer.Enqueue(TestEntries.Create("b"));
        Assert.True(await time.TimerCreated.WaitAsync(Patience)); // failed once, backing off
        writer.Enqueue(TestEntries.Create("c"));

        Assert.True(writer.IsStoreFailing);
        Assert.Equal(3, writer.QueuedCount); // the failed batch and what queued behind it

        time.Advance(TimeSpan.FromSeconds(1));
        await writer.FlushAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.False(writer.IsStoreFailing);
        Assert.Equal(0, writer.QueuedCount);
        Assert.Equal(3, writer.WrittenCount);
    }

    [Fact]
    public async Task QueuedCount_QueueFull_DroppedEntriesNotCounted()
    {
        var store = new FakeLedgerStore { Gated = true };
        await using var writer = new LedgerWriter(
            store, TimeProvider.System, new LedgerWriterOptions { Capacity = 2, MaxBatchSize = 1 });

        writer.Enqueue(TestEntries.Create("a"));
        Assert.True(await store.CallStarted.WaitAsync(Patience)); // the loop holds entry a inside the store
        foreach (var id in new[] { "b", "c", "d", "e" })
        {
            writer.Enqueue(TestEntries.Create(id)); // b and c fill the queue, d and e find it full
        }

        Assert.Equal(3, writer.QueuedCount);
        Assert.Equal(2, writer.DroppedCount);
        store.Release();
        await writer.FlushAsync(CancellationToken.None).WaitAsync(Patience);
        Assert.Equal(0, writer.QueuedCount);
    }

    [Fact]
    public async Task FlushAsync_Cancelled_ThrowsAndWriterKeepsWorking()
    {
        var store = new FakeLedgerStore { Gated = true };
        await using var writer = new LedgerWriter(store, TimeProvider.System);
        writer.Enqueue(TestEntries.Create("a"));
        using var cancel = new CancellationTokenSource();

        var flush = writer.FlushAsync(cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flush.WaitAsync(Patience));
        store.Release();
        await writer.FlushAsync(CancellationToken.None).WaitAsync(Patience);
        Assert.Single(store.Entries);
    }

    [Fact]
    public async Task DisposeAsync_EntriesQueued_WaitsAndWritesThemAllInOrder()
    {
        var store = new FakeLedgerStore { Gated = true };
        var writer = new LedgerWriter(store, TimeProvider.System, new LedgerWriterOptions { MaxBatchSize = 16 });
        var entries = TestEntries.Many(100);

        writer.Enqueue(entries[0]);
        Assert.True(await store.CallStarted.WaitAsync(Patience));
        foreach (var entry in entries[1..])
        {
            writer.Enqueue(entry);
        }

        var disposing = writer.DisposeAsync().AsTask();
        Assert.False(disposing.IsCompleted);
        store.Release();
        await disposing.WaitAsync(Patience);

        Assert.Equal(entries.Select(e => e.Id), store.Entries.Select(e => e.Id));
        Assert.Equal(0, writer.DroppedCount);
    }

    [Fact]
    public async Task DisposeAsync_StoreKeepsFailing_TriesOnceMoreThenDropsEverything()
    {
        var time = new TimerSignalingTimeProvider();
        var store = new FakeLedgerStore { FailuresLeft = -1 };
        var logger = new ListLogger<LedgerWriter>();
        var writer = new LedgerWriter(
            store, time, new LedgerWriterOptions { RetryInitialDelay = TimeSpan.FromMinutes(1), RetryMaxDelay = TimeSpan.FromMinutes(1) }, logger,
            batchWindowTime: TimeProvider.System);

        writer.Enqueue(TestEntries.Create("a"));
        Assert.True(await time.TimerCreated.WaitAsync(Patience)); // failed once, backing off
        writer.Enqueue(TestEntries.Create("b"));
        writer.Enqueue(TestEntries.Create("c"));

        // No clock advance: disposal itself must cut the backoff short.
        await writer.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(2, store.Calls);
        Assert.Empty(store.Entries);
        Assert.Equal(3, writer.DroppedCount);
        Assert.Contains(logger.Records, r => r.Level == LogLevel.Error && r.EventId.Id == 4005);
    }

    [Fact]
    public async Task Enqueue_AfterDispose_DropsCountsAndWarns()
    {
        var store = new FakeLedgerStore();
        var logger = new ListLogger<LedgerWriter>();
        var writer = new LedgerWriter(store, TimeProvider.System, logger: logger);
        await writer.DisposeAsync();

        writer.Enqueue(TestEntries.Create("late"));

        Assert.Equal(1, writer.DroppedCount);
        Assert.Empty(store.Entries);
        Assert.Contains(logger.Records, r => r.Level == LogLevel.Warning && r.EventId.Id == 4002);
    }

    [Fact]
    public async Task FlushAsync_AfterDispose_CompletesAtOnce()
    {
        var writer = new LedgerWriter(new FakeLedgerStore(), TimeProvider.System);
        await writer.DisposeAsync();

        await writer.FlushAsync(CancellationToken.None).WaitAsync(Patience);
    }

    [Fact]
    public async Task DisposeAsync_CalledTwice_SecondCallCompletes()
    {
        var writer = new LedgerWriter(new FakeLedgerStore(), TimeProvider.System);

        await writer.DisposeAsync();
        await writer.DisposeAsync().AsTask().WaitAsync(Patience);
    }

    [Fact]
    public async Task BatchWindow_EntriesEnqueuedWhileItIsOpen_WrittenInOneBatchAtFlush()
    {
        var store = new FakeLedgerStore();
        await using var writer = new LedgerWriter(store, TimeProvider.System, new LedgerWriterOptions { BatchWindow = TimeSpan.FromMinutes(1) });

        writer.Enqueue(TestEntries.Create("a"));
        await Task.Delay(TimeSpan.FromMilliseconds(100)); // without a window the loop would have written "a" by now
        Assert.Equal(0, store.Calls);
        writer.Enqueue(TestEntries.Create("b"));
        writer.Enqueue(TestEntries.Create("c"));

        // The flush ends the minute-long window at once.
        await writer.FlushAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.Equal([3], store.BatchSizes);
        Assert.Equal(["a", "b", "c"], store.Entries.Select(e => e.Id));
    }

    [Fact]
    public async Task BatchWindow_Elapses_WritesWithoutAFlush()
    {
        var store = new FakeLedgerStore();
        var window = TimeSpan.FromMilliseconds(200);
        await using var writer = new LedgerWriter(store, TimeProvider.System, new LedgerWriterOptions { BatchWindow = window });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        writer.Enqueue(TestEntries.Create("a"));
        writer.Enqueue(TestEntries.Create("b"));

        Assert.True(await store.CallStarted.WaitAsync(Patience));
        Assert.True(clock.Elapsed >= window - TimeSpan.FromMilliseconds(5), $"written after {clock.Elapsed}");
        await writer.FlushAsync(CancellationToken.None).WaitAsync(Patience);
        Assert.Equal([2], store.BatchSizes);
    }

    [Fact]
    public async Task BatchWindow_TimedByTheGivenClock_WritesWhenThatClockPassesIt()
    {
        var time = new TimerSignalingTimeProvider();
        var store = new FakeLedgerStore();
        var window = TimeSpan.FromMinutes(1);
        await using var writer = new LedgerWriter(store, time, new LedgerWriterOptions { BatchWindow = window });

        writer.Enqueue(TestEntries.Create("a"));
        Assert.True(await time.TimerCreated.WaitAsync(Patience)); // the window is open on the fake clock
        Assert.Equal(0, store.Calls);
        time.Advance(window);

        // No flush: only the fake clock passing the minute-long window lets the batch go.
        Assert.True(await store.CallStarted.WaitAsync(Patience));
        Assert.Equal(window, Assert.Single(time.DueTimes));
    }

    [Fact]
    public async Task BatchWindow_FullBatchQueued_WritesWithoutWaitingForTheWindow()
    {
        var store = new FakeLedgerStore();
        await using var writer = new LedgerWriter(
            store, TimeProvider.System, new LedgerWriterOptions { BatchWindow = TimeSpan.FromMinutes(1), MaxBatchSize = 3 });

        foreach (var entry in TestEntries.Many(3))
        {
            writer.Enqueue(entry);
        }

        // No flush: the third entry fills the batch, which ends the minute-long window.
        Assert.True(await store.CallStarted.WaitAsync(Patience));
        await writer.FlushAsync(CancellationToken.None).WaitAsync(Patience);
        Assert.Equal([3], store.BatchSizes);
    }

    [Fact]
    public async Task BatchWindow_DisposedWhileItIsOpen_WritesAtOnce()
    {
        var store = new FakeLedgerStore();
        var writer = new LedgerWriter(store, TimeProvider.System, new LedgerWriterOptions { BatchWindow = TimeSpan.FromMinutes(1) });

        writer.Enqueue(TestEntries.Create("a"));
        await writer.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(["a"], store.Entries.Select(e => e.Id));
        Assert.Equal(0, writer.DroppedCount);
    }

    public static TheoryData<LedgerWriterOptions> InvalidOptions => new()
    {
        new LedgerWriterOptions { Capacity = 0 },
        new LedgerWriterOptions { MaxBatchSize = 0 },
        new LedgerWriterOptions { BatchWindow = TimeSpan.FromMilliseconds(-1) },
        new LedgerWriterOptions { BatchWindow = TimeSpan.FromHours(2) },
        new LedgerWriterOptions { RetryInitialDelay = TimeSpan.FromSeconds(-1) },
        new LedgerWriterOptions { RetryInitialDelay = TimeSpan.FromSeconds(10), RetryMaxDelay = TimeSpan.FromSeconds(1) },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Ctor_OptionOutOfRange_Throws(LedgerWriterOptions options) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LedgerWriter(new FakeLedgerStore(), TimeProvider.System, options));
}
