using Spillway.Core.Ledger;
using Spillway.Serving;

namespace Spillway.Hosting;

/// <summary>
/// Keeps the stored Responses API answers to <c>ledger.responses_retention_days</c> (7 by default; 0 keeps them until
/// deleted): once at start, then every <see cref="Interval"/> on the gateway's clock, deletes those stored before that,
/// in batches of <see cref="BatchSize"/>. An expired one is refused on read before it is swept
/// (<see cref="Endpoints.StoredResponses"/>), so the sweep only bounds the database. A failure is logged and tried again
/// at the next interval.
/// </summary>
internal sealed partial class ResponseRetention(
    IResponseStore store, ConfigHolder configs, TimeProvider time, ILogger<ResponseRetention> logger) : HourlySweep(time)
{
    protected override async Task SweepOnceAsync(CancellationToken stoppingToken)
    {
        var config = configs.Current.Ledger;
        if (config.ResponsesRetention is not { } retention)
        {
            return;
        }

        try
        {
            var deleted = await store.PruneAsync(Time.GetUtcNow() - retention, BatchSize, stoppingToken);
            if (deleted > 0)
            {
                Log.Pruned(logger, deleted, config.ResponsesRetentionDays);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            Log.PruneFailed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Stored responses: deleted {Count} older than {Days} days (ledger.responses_retention_days)")]
        public static partial void Pruned(ILogger logger, long count, int days);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Stored responses: old ones could not be deleted; trying again in an hour")]
        public static partial void PruneFailed(ILogger logger, Exception exception);
    }
}
