using Microsoft.Extensions.Logging;

namespace Spillway.Core.Ledger;

public sealed partial class LedgerWriter
{
    /// <summary>The writer's log messages (source-generated).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, EventName = "LedgerQueueFull", Level = LogLevel.Warning,
            Message = "Ledger queue is full ({Capacity} entries); dropping entries, {DroppedCount} dropped so far")]
        public static partial void QueueFull(ILogger logger, int capacity, long droppedCount);

        [LoggerMessage(EventId = 4002, EventName = "LedgerWriterClosed", Level = LogLevel.Warning,
            Message = "Ledger writer is disposed; dropping entries, {DroppedCount} dropped so far")]
        public static partial void WriterClosed(ILogger logger, long droppedCount);

        [LoggerMessage(EventId = 4003, EventName = "LedgerStoreFailed", Level = LogLevel.Error,
            Message = "Writing {Count} ledger entries failed (attempt {Attempt}); retrying in {RetryDelay}")]
        public static partial void StoreFailed(ILogger logger, Exception exception, int count, int attempt, TimeSpan retryDelay);

        [LoggerMessage(EventId = 4004, EventName = "LedgerStoreRecovered", Level = LogLevel.Information,
            Message = "Wrote {Count} ledger entries after {Attempt} attempts")]
        public static partial void StoreRecovered(ILogger logger, int count, int attempt);

        [LoggerMessage(EventId = 4005, EventName = "LedgerGaveUpOnShutdown", Level = LogLevel.Error,
            Message = "Writing {Count} ledger entries failed during shutdown; dropping them and the {Queued} items still queued")]
        public static partial void GaveUpOnShutdown(ILogger logger, Exception exception, int count, int queued);

        [LoggerMessage(EventId = 4006, EventName = "LedgerWriterStoppedWithDrops", Level = LogLevel.Warning,
            Message = "Ledger writer stopped; {DroppedCount} entries were dropped in total")]
        public static partial void StoppedWithDrops(ILogger logger, long droppedCount);
    }
}
