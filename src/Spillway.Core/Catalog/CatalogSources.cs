using Spillway.Core.Chat;
using Spillway.Core.Providers;

namespace Spillway.Core.Catalog;

/// <summary>
/// Which catalog describes which provider. OpenRouter's public list (<c>catalog.openrouter</c>) serves every provider
/// made from the <c>openrouter</c> preset or reached at the same API root; any other provider in the OpenAI or Gemini
/// format is described by its own <c>GET /models</c>.
/// </summary>
public static class CatalogSources
{
    /// <summary>The source name of OpenRouter's public list.</summary>
    public const string OpenRouter = "openrouter";

    /// <summary>The source name of a provider's own list.</summary>
    public static string OfProvider(string providerId) => "provider:" + providerId;

    /// <summary>True when OpenRouter's public list, read from <paramref name="catalogBaseUrl"/>, describes <paramref name="provider"/>.</summary>
    public static bool UsesOpenRouterCatalog(ProviderConfig provider, Uri? catalogBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return string.Equals(provider.Preset, OpenRouter, StringComparison.Ordinal)
            || (catalogBaseUrl is not null && SameRoot(provider.BaseUrl, catalogBaseUrl));
    }

    /// <summary>True for formats whose API lists models at <c>{base}/models</c> in a shape the parser reads.</summary>
    public static bool CanList(ProviderConfig provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return provider.Format is WireFormat.OpenAI or WireFormat.Gemini;
    }

    private static bool SameRoot(Uri a, Uri b) =>
        string.Equals(a.AbsoluteUri.TrimEnd('/'), b.AbsoluteUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}
