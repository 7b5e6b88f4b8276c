namespace Spillway.Core.Configuration;

/// <summary>Where and how often to read OpenRouter's model list (contract: <c>catalog.openrouter</c>).</summary>
/// <param name="BaseUrl">The API root; <c>/models</c> is appended.</param>
/// <param name="RefreshMinutes">How often the list is read again.</param>
public sealed record OpenRouterCatalogConfig(Uri BaseUrl, int RefreshMinutes)
{
    public const int DefaultRefreshMinutes = 60;

    public static Uri DefaultBaseUrl { get; } = new("https://openrouter.ai/api/v1");

    public static OpenRouterCatalogConfig Default { get; } = new(DefaultBaseUrl, DefaultRefreshMinutes);
}
