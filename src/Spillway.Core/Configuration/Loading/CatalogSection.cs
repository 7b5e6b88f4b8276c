using Spillway.Core.Configuration.Yaml;

namespace Spillway.Core.Configuration.Loading;

/// <summary>Reads <c>catalog:</c>.</summary>
internal static class CatalogSection
{
    private static readonly string[] Fields = ["openrouter"];
    private static readonly string[] OpenRouterFields = ["base_url", "refresh_minutes"];

    public static CatalogConfig Read(YamlMap root)
    {
        if (root.Map("catalog", Fields)?.Map("openrouter", OpenRouterFields) is not { } openRouter)
        {
            return CatalogConfig.None;
        }

        var minutes = openRouter.WholeNumber("refresh_minutes", max: 7 * 24 * 60);
        if (minutes == 0)
        {
            throw openRouter.Error("refresh_minutes", "must be at least 1");
        }

        return new CatalogConfig
        {
            OpenRouter = new OpenRouterCatalogConfig(
                openRouter.AbsoluteUrl("base_url") ?? OpenRouterCatalogConfig.DefaultBaseUrl,
                (int)(minutes ?? OpenRouterCatalogConfig.DefaultRefreshMinutes)),
        };
    }
}
