using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Spillway.Core.Catalog;

/// <summary>Source-generated JSON for model lists as providers send them and catalogs as Spillway stores them.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ModelListJson))]
[JsonSerializable(typeof(ImmutableArray<CatalogModel>))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
