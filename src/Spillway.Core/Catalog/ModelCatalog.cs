using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Spillway.Core.Catalog;

/// <summary>One provider's model list as fetched at one moment. Immutable.</summary>
public sealed class ModelCatalog
{
    private readonly FrozenDictionary<string, CatalogModel> _byId;

    /// <param name="baseUrl">The API root it was read from (<c>/models</c> appended).</param>
    /// <param name="fetchedAt">When the list was read.</param>
    /// <param name="models">Every listed model, in the list's order.</param>
    public ModelCatalog(Uri baseUrl, DateTimeOffset fetchedAt, ImmutableArray<CatalogModel> models)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        BaseUrl = baseUrl;
        FetchedAt = fetchedAt;
        Models = models.IsDefault ? [] : models;
        FreeModels = [.. Models.Where(m => m.Free)];
        _byId = Models.DistinctBy(m => m.Id, StringComparer.Ordinal).ToFrozenDictionary(m => m.Id, StringComparer.Ordinal);
    }

    public Uri BaseUrl { get; }

    public DateTimeOffset FetchedAt { get; }

    public ImmutableArray<CatalogModel> Models { get; }

    /// <summary>The models free right now, in the list's order.</summary>
    public ImmutableArray<CatalogModel> FreeModels { get; }

    /// <summary>The listed model with this id, or null.</summary>
    public CatalogModel? Find(string id) => _byId.GetValueOrDefault(id);
}
