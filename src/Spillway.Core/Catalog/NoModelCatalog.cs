using Spillway.Core.Providers;

namespace Spillway.Core.Catalog;

/// <summary>No catalog: no free models are known and no model is described, so routes plan as configured.</summary>
public sealed class NoModelCatalog : IModelCatalog
{
    public static NoModelCatalog Instance { get; } = new();

    public IReadOnlyList<CatalogModel> FreeModels(ProviderConfig provider) => [];

    public CatalogModel? Describe(ProviderConfig provider, string model) => null;
}
