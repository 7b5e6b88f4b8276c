using Spillway.Core.Catalog;
using Spillway.Core.Configuration;
using Spillway.Serving;

namespace Spillway.Hosting;

/// <summary>
/// Keeps the model catalogs current: restores the lists saved by the last run, reads every source at start, then
/// again every <c>catalog.openrouter.refresh_minutes</c> (60 when unset). A failure never stops the gateway nor the
/// schedule: a source that fails is recorded as its last error (<see cref="CatalogSync.RefreshAsync"/>), and a round
/// that fails as a whole is logged and tried again at the next refresh. Only shutting down ends the loop.
/// </summary>
internal sealed partial class CatalogRefresher(CatalogSync sync, ConfigHolder configs, TimeProvider time, ILogger<CatalogRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await sync.RestoreAsync(configs.Current, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                var config = configs.Current;
                try
                {
                    await sync.RefreshAsync(config, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    Log.RoundFailed(logger, ex);
                }

                var minutes = config.Catalog.OpenRouter?.RefreshMinutes ?? OpenRouterCatalogConfig.DefaultRefreshMinutes;
                await Task.Delay(TimeSpan.FromMinutes(minutes), time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6008, EventName = "CatalogRefreshRoundFailed", Level = LogLevel.Error,
            Message = "Model catalog refresh failed; routes keep the lists read so far, and the next refresh tries again")]
        public static partial void RoundFailed(ILogger logger, Exception exception);
    }
}
