namespace Spillway.Core.Configuration;

/// <summary>Model catalogs to refresh in the background (contract: <c>catalog:</c>).</summary>
public sealed record CatalogConfig
{
    /// <summary>No catalog configured.</summary>
    public static CatalogConfig None { get; } = new();

    /// <summary>OpenRouter's public model list, used to discover the models that are free right now; null when off.</summary>
    public OpenRouterCatalogConfig? OpenRouter { get; init; }
}
