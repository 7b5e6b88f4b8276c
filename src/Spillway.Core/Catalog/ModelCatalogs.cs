using System.Collections.Concurrent;
using Spillway.Core.Providers;

namespace Spillway.Core.Catalog;

/// <summary>
/// The model catalogs known right now, one per source (<see cref="CatalogSources"/>): the last good list of each and
/// its last failure. A failed refresh never drops a good list. Safe to share between threads.
/// </summary>
public sealed class ModelCatalogs : IModelCatalog
{
    private readonly ConcurrentDictionary<string, CatalogStatus> _sources = new(StringComparer.Ordinal);

    /// <summary>Every source with its state, by name.</summary>
    public IReadOnlyDictionary<string, CatalogStatus> Sources => _sources;

    /// <summary>The state of one source; <see cref="CatalogStatus.Empty"/> when never read.</summary>
    public CatalogStatus StatusOf(string source) => _sources.GetValueOrDefault(source) ?? CatalogStatus.Empty;

    /// <summary>A refresh succeeded: its list replaces the last one and clears the failure.</summary>
    public void Succeeded(string source, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _sources[source] = new CatalogStatus(catalog, null, null);
    }

    /// <summary>A refresh failed: the last good list stays, the failure is recorded.</summary>
    public void Failed(string source, DateTimeOffset at, string reason) =>
        _sources.AddOrUpdate(
            source,
            static (_, failure) => new CatalogStatus(null, failure.at, failure.reason),
            static (_, status, failure) => status with { FailedAt = failure.at, Failure = failure.reason },
            (at, reason));

    /// <summary>A list kept from an earlier run: used only until a refresh has read one.</summary>
    public void Restored(string source, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _sources.AddOrUpdate(
            source,
            static (_, stored) => new CatalogStatus(stored, null, null),
            static (_, status, stored) => status.Catalog is null ? status with { Catalog = stored } : status,
            catalog);
    }

    /// <summary>The catalog describing <paramref name="provider"/>, or null when none was read.</summary>
    public ModelCatalog? CatalogOf(ProviderConfig provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var openRouter = StatusOf(CatalogSources.OpenRouter).Catalog;
        if (openRouter is not null && CatalogSources.UsesOpenRouterCatalog(provider, openRouter.BaseUrl))
        {
            return openRouter;
        }

        return StatusOf(CatalogSources.OfProvider(provider.Id)).Catalog;
    }

    public IReadOnlyList<CatalogModel> FreeModels(ProviderConfig provider) => CatalogOf(provider)?.FreeModels ?? [];

    public CatalogModel? Describe(ProviderConfig provider, string model) => CatalogOf(provider)?.Find(model);
}
