using Spillway.Core.Catalog;
using Spillway.Core.Configuration;
using Spillway.Http;
using Spillway.Security;
using Spillway.Serving;

namespace Spillway.Endpoints;

/// <summary>
/// <c>GET /admin/catalog/free</c> (README.md): the free models discovered now, each as the route that reaches it
/// (<c>route, id, name, context_length, capabilities, source, refreshed_at</c>), and every catalog source with when it
/// was last read and its last failure. Guarded like the rest of the admin API.
/// </summary>
internal static class AdminCatalogEndpoints
{
    public static void MapAdminCatalogEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/admin/catalog/free", FreeAsync);

    private static async Task FreeAsync(HttpContext context, ConfigHolder configs, ModelCatalogs catalogs)
    {
        var config = configs.Current;
        if (!await AdminEndpoints.AdmitAsync(context, configs))
        {
            return;
        }

        context.Response.ContentType = "application/json";
        await using var json = ReadableJson.CreateWriter(context);
        json.WriteStartObject();
        json.WriteStartArray("models");
        foreach (var (route, model, source, catalog) in FreeRoutes(config, catalogs))
        {
            json.WriteStartObject();
            json.WriteString("route", route);
            json.WriteString("id", model.Id);
            json.WriteStringOrNull("name", model.Name);
            json.WriteNumberOrNull("context_length", model.ContextLength);
            json.WriteStartObject("capabilities");
            json.WriteBooleanOrNull("tools", model.Tools);
            json.WriteBooleanOrNull("vision", model.Vision);
            json.WriteBooleanOrNull("json", model.Json);
            json.WriteEndObject();
            json.WriteString("source", source);
            json.WriteString("refreshed_at", catalog.FetchedAt);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("catalogs");
        foreach (var (source, status) in catalogs.Sources.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("source", source);
            json.WriteStringOrNull("base_url", status.Catalog?.BaseUrl.AbsoluteUri);
            json.WriteStringOrNull("refreshed_at", status.Catalog?.FetchedAt);

            json.WriteNumber("model_count", status.Catalog?.Models.Length ?? 0);
            json.WriteNumber("free_count", status.Catalog?.FreeModels.Length ?? 0);
            if (status.FailedAt is { } failedAt)
            {
                json.WriteStartObject("last_error");
                json.WriteString("at", failedAt);
                json.WriteStringOrNull("reason", status.Failure);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("last_error");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// Each configured provider's free models as routes; OpenRouter's list is shown as <c>openrouter/…</c> even when
    /// no configured provider reaches it, so a user can see what a key would unlock.
    /// </summary>
    internal static List<(string Route, CatalogModel Model, string Source, ModelCatalog Catalog)> FreeRoutes(SpillwayConfig config, ModelCatalogs catalogs)
    {
        var routes = new List<(string, CatalogModel, string, ModelCatalog)>();
        var openRouter = catalogs.StatusOf(CatalogSources.OpenRouter).Catalog;
        var openRouterShown = false;
        foreach (var provider in config.Providers)
        {
            if (catalogs.CatalogOf(provider) is not { } catalog)
            {
                continue;
            }

            var isOpenRouter = ReferenceEquals(catalog, openRouter);
            openRouterShown |= isOpenRouter;
            var source = isOpenRouter ? CatalogSources.OpenRouter : CatalogSources.OfProvider(provider.Id);
            routes.AddRange(catalog.FreeModels.Select(model => (provider.Id + "/" + model.Id, model, source, catalog)));
        }

        if (openRouter is not null && !openRouterShown)
        {
            routes.AddRange(openRouter.FreeModels.Select(model => (CatalogSources.OpenRouter + "/" + model.Id, model, CatalogSources.OpenRouter, openRouter)));
        }

        return routes;
    }
}
