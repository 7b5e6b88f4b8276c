namespace Spillway.Core.Catalog;

/// <summary>Keeps the last good list of each catalog source across restarts.</summary>
public interface ICatalogStore
{
    /// <summary>The list last saved for <paramref name="source"/>, or null.</summary>
    Task<ModelCatalog?> LoadAsync(string source, CancellationToken cancellationToken);

    /// <summary>Replaces the list kept for <paramref name="source"/>.</summary>
    Task SaveAsync(string source, ModelCatalog catalog, CancellationToken cancellationToken);
}
