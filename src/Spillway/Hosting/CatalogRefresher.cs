using Spillway.Core.Catalog;
using Spillway.Core.Configuration;
using Spillway.Serving;

namespace Spillway.Hosting;

/// <summary>
/// Keeps the model catalogs current: restores the lists saved by the last run, reads every source at start, then
/// again every <c>catalog.openrouter.refresh_minutes</c> (60 when unset). A failure never stops the gateway.
/// </summary>
internal sealed class CatalogRefresher(CatalogSync sync, ConfigHolder configs, TimeProvider time, ILogger<CatalogRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await sync.RestoreAsync(configs.Current, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                var config = configs.Current;
                await sync.RefreshAsync(config, stoppingToken);
                var minutes = config.Catalog.OpenRouter?.RefreshMinutes ?? OpenRouterCatalogConfig.DefaultRefreshMinutes;
                await Task.Delay(TimeSpan.FromMinutes(minutes), time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Model catalog refresh stopped; routes keep the lists read so far");
        }
    }
}
