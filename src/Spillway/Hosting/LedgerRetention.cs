using Spillway.Core.Ledger;
using Spillway.Serving;
using Spillway.Storage.Sqlite;

namespace Spillway.Hosting;

/// <summary>
/// Keeps the ledger to <c>ledger.retention_days</c> (90 by default; 0 keeps everything): once at start, then every
/// <see cref="Interval"/> on the gateway's clock, deletes the entries older than that with their attempts, in batches of
/// <see cref="BatchSize"/> so appends never wait long. A failure (the database away) is logged and tried again at the
/// next interval; requests never wait for it. The spend journal, where there is one, is pruned in the same rounds
/// (whatever the retention: its rows matter only within a month's budget).
/// </summary>
internal sealed partial class LedgerRetention(
    ILedgerStore store, ConfigHolder configs, TimeProvider time, ILogger<LedgerRetention> logger, SqliteSpendJournal? journal = null) : HourlySweep(time)
{
    protected override async Task SweepOnceAsync(CancellationToken stoppingToken)
    {
        var config = configs.Current.Ledger;
        try
        {
            if (journal is not null)
            {
                await journal.PruneAsync(Time.GetUtcNow(), stoppingToken);
            }

            if (config.Retention is not { } retention)
            {
                return;
            }

            var deleted = await store.PruneAsync(Time.GetUtcNow() - retention, BatchSize, stoppingToken);
            if (deleted > 0)
            {
                Log.Pruned(logger, deleted, config.RetentionDays);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            Log.PruneFailed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Ledger: deleted {Count} entries older than {Days} days (ledger.retention_days)")]
        public static partial void Pruned(ILogger logger, long count, int days);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Ledger: old entries could not be deleted; trying again in an hour")]
        public static partial void PruneFailed(ILogger logger, Exception exception);
    }
}
