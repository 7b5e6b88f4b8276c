using Spillway.Core.Providers;

namespace Spillway.Core.Catalog;

/// <summary>What the route planner asks of the model catalogs at request time.</summary>
public interface IModelCatalog
{
    /// <summary>The models free right now at <paramref name="provider"/>, in the list's order; empty when unknown.</summary>
    IReadOnlyList<CatalogModel> FreeModels(ProviderConfig provider);

    /// <summary>What <paramref name="provider"/>'s model list says of <paramref name="model"/>, or null when it is not listed.</summary>
    CatalogModel? Describe(ProviderConfig provider, string model);
}
