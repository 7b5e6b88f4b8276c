using System.Collections.Concurrent;
using Spillway.Core.Catalog;

namespace Spillway.Core.Tests.Catalog;

/// <summary>A catalog store in a dictionary (the SQLite one is tested in Spillway.Storage.Sqlite.Tests).</summary>
internal sealed class MemoryCatalogStore : ICatalogStore
{
    public ConcurrentDictionary<string, ModelCatalog> Saved { get; } = new();

    public Task<ModelCatalog?> LoadAsync(string source, CancellationToken cancellationToken) =>
        Task.FromResult(Saved.GetValueOrDefault(source));

    public Task SaveAsync(string source, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        Saved[source] = catalog;
        return Task.CompletedTask;
    }
}
