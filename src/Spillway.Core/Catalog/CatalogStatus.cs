namespace Spillway.Core.Catalog;

/// <summary>One catalog source's state: the last list read successfully, and the last refresh that failed since.</summary>
/// <param name="Catalog">The last good list; null until one was read (or loaded from the database).</param>
/// <param name="FailedAt">When the last refresh failed, or null when the last one succeeded.</param>
/// <param name="Failure">Why it failed (status, connection error, bad JSON).</param>
public sealed record CatalogStatus(ModelCatalog? Catalog, DateTimeOffset? FailedAt, string? Failure)
{
    public static CatalogStatus Empty { get; } = new(null, null, null);
}
