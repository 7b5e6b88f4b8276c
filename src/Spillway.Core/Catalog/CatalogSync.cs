using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spillway.Core.Configuration;
using Spillway.Core.Providers;

namespace Spillway.Core.Catalog;

/// <summary>
/// Reads every catalog source of a config into <see cref="ModelCatalogs"/>: OpenRouter's public list when
/// <c>catalog.openrouter</c> is set, and the own list of every other provider that has one. A good list is saved; a
/// failed read keeps the last good list and records the failure. Listing a provider also checks the configured routes
/// against it (a warning per model it does not list). The demo's simulated providers have no catalog and are skipped.
/// </summary>
public sealed partial class CatalogSync
{
    private readonly CatalogFetcher _fetcher;
    private readonly ModelCatalogs _catalogs;
    private readonly ICatalogStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    public CatalogSync(CatalogFetcher fetcher, ModelCatalogs catalogs, ICatalogStore store, TimeProvider time, ILogger<CatalogSync>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(fetcher);
        ArgumentNullException.ThrowIfNull(catalogs);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _fetcher = fetcher;
        _catalogs = catalogs;
        _store = store;
        _time = time;
        _logger = logger ?? NullLogger<CatalogSync>.Instance;
    }

    /// <summary>Puts the lists saved by an earlier run in place, so a restart without network still has them.</summary>
    public async Task RestoreAsync(SpillwayConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (var (source, _, _) in SourcesOf(config))
        {
            try
            {
                if (await _store.LoadAsync(source, cancellationToken) is { } stored)
                {
                    _catalogs.Restored(source, stored);
                    Log.Restored(_logger, source, stored.Models.Length, stored.FetchedAt);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.RestoreFailed(_logger, ex, source);
            }
        }
    }

    /// <summary>Reads every source once, in turn. A source that fails (whatever the exception) is recorded and skipped;
    /// only <paramref name="cancellationToken"/> ends the round early.</summary>
    public async Task RefreshAsync(SpillwayConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (var (source, baseUrl, provider) in SourcesOf(config))
        {
            ModelCatalog catalog;
            try
            {
                catalog = await _fetcher.FetchAsync(baseUrl, provider, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Any failure stays this source's: recorded as its last error, the other sources still read, and
                // the next scheduled refresh tries it again. Only shutting down ends the round.
                var reason = ex is CatalogFetchException ? ex.Message : $"reading {baseUrl} failed: {ex.GetType().Name}: {ex.Message}";
                _catalogs.Failed(source, _time.GetUtcNow(), reason);
                if (_catalogs.StatusOf(source).Catalog is { } kept)
                {
                    Log.RefreshFailed(_logger, source, reason, kept.FetchedAt);
                }
                else
                {
                    Log.FirstRefreshFailed(_logger, source, reason);
                }

                continue;
            }

            _catalogs.Succeeded(source, catalog);
            Log.Refreshed(_logger, source, catalog.Models.Length, catalog.FreeModels.Length);
            await SaveAsync(source, catalog, cancellationToken);
        }

        CheckRoutes(config);
    }

    /// <summary>The sources a config reads: OpenRouter's list first, then each provider it does not describe (simulated
    /// providers have no catalog).</summary>
    private static List<(string Source, Uri BaseUrl, ProviderConfig? Provider)> SourcesOf(SpillwayConfig config)
    {
        var sources = new List<(string, Uri, ProviderConfig?)>();
        var openRouter = config.Catalog.OpenRouter?.BaseUrl;
        if (openRouter is not null)
        {
            sources.Add((CatalogSources.OpenRouter, openRouter, null));
        }

        foreach (var provider in config.Providers)
        {
            var described = openRouter is not null && CatalogSources.UsesOpenRouterCatalog(provider, openRouter);
            if (!described && !provider.Simulated && CatalogSources.CanList(provider) && !provider.Keys.IsDefaultOrEmpty)
            {
                sources.Add((CatalogSources.OfProvider(provider.Id), provider.BaseUrl, provider));
            }
        }

        return sources;
    }

    private async Task SaveAsync(string source, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        try
        {
            await _store.SaveAsync(source, catalog, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SaveFailed(_logger, ex, source);
        }
    }

    /// <summary>Warns once per route whose provider lists its models but not this one.</summary>
    private void CheckRoutes(SpillwayConfig config)
    {
        var routes = config.Models.SelectMany(alias => alias.Route)
            .Concat(config.Providers.SelectMany(provider => provider.Models.Select(model => provider.Id + "/" + model)));
        foreach (var route in routes.Distinct(StringComparer.Ordinal))
        {
            var slash = route.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || config.FindProvider(route[..slash]) is not { } provider)
            {
                continue;
            }

            var model = route[(slash + 1)..];
            if (provider.UpstreamModels.ContainsKey(model) || _catalogs.CatalogOf(provider) is not { Models.Length: > 0 } catalog)
            {
                continue;
            }

            if (catalog.Find(model) is null && _warned.Add(route))
            {
                Log.Unlisted(_logger, route, provider.Id);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, EventName = "CatalogRefreshed", Level = LogLevel.Information,
            Message = "Model catalog {Source}: {Count} models, {Free} free")]
        public static partial void Refreshed(ILogger logger, string source, int count, int free);

        [LoggerMessage(EventId = 6002, EventName = "CatalogRefreshFailed", Level = LogLevel.Warning,
            Message = "Model catalog {Source} could not be refreshed: {Reason}; keeping the list read at {KeptFrom}")]
        public static partial void RefreshFailed(ILogger logger, string source, string reason, DateTimeOffset keptFrom);

        [LoggerMessage(EventId = 6007, EventName = "CatalogFirstRefreshFailed", Level = LogLevel.Warning,
            Message = "Model catalog {Source} could not be refreshed: {Reason}; no list read yet")]
        public static partial void FirstRefreshFailed(ILogger logger, string source, string reason);

        [LoggerMessage(EventId = 6003, EventName = "CatalogRestored", Level = LogLevel.Information,
            Message = "Model catalog {Source}: {Count} models restored from the database (read at {FetchedAt})")]
        public static partial void Restored(ILogger logger, string source, int count, DateTimeOffset fetchedAt);

        [LoggerMessage(EventId = 6004, EventName = "CatalogRestoreFailed", Level = LogLevel.Warning,
            Message = "Model catalog {Source} could not be restored from the database")]
        public static partial void RestoreFailed(ILogger logger, Exception exception, string source);

        [LoggerMessage(EventId = 6005, EventName = "CatalogSaveFailed", Level = LogLevel.Warning,
            Message = "Model catalog {Source} could not be saved to the database")]
        public static partial void SaveFailed(ILogger logger, Exception exception, string source);

        [LoggerMessage(EventId = 6006, EventName = "RouteNotListed", Level = LogLevel.Warning,
            Message = "The route {Route} is configured, but provider {Provider} does not list that model in GET /models")]
        public static partial void Unlisted(ILogger logger, string route, string provider);
    }
}
