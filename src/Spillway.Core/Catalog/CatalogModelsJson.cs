using System.Collections.Immutable;
using System.Text.Json;

namespace Spillway.Core.Catalog;

/// <summary>Catalog models as JSON, the form a store keeps them in.</summary>
public static class CatalogModelsJson
{
    public static byte[] Serialize(ImmutableArray<CatalogModel> models) =>
        JsonSerializer.SerializeToUtf8Bytes(models, CatalogJsonContext.Default.ImmutableArrayCatalogModel);

    /// <exception cref="JsonException">The bytes are not a stored model list.</exception>
    public static ImmutableArray<CatalogModel> Deserialize(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, CatalogJsonContext.Default.ImmutableArrayCatalogModel);
}
