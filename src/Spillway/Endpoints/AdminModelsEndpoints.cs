using Spillway.Serving;

namespace Spillway.Endpoints;

/// <summary>
/// <c>GET /admin/models</c>: the aliases of the config, each with its strategy and its chain of routes in order, and
/// whether it is an embedding model's alias (for the dashboard's Models page). Guarded like every admin read.
/// </summary>
internal static class AdminModelsEndpoints
{
    public static void MapAdminModelsEndpoints(this IEndpointRouteBuilder app) => app.MapGet("/admin/models", ModelsAsync);

    private static async Task ModelsAsync(HttpContext context, ConfigHolder configs)
    {
        if (!await AdminEndpoints.AdmitAsync(context, configs))
        {
            return;
        }

        var config = configs.Current;
        context.Response.ContentType = "application/json";
        await using var json = ReadableJson.CreateWriter(context);
        json.WriteStartArray();
        foreach (var alias in config.Models)
        {
            json.WriteStartObject();
            json.WriteString("id", alias.Id);
            json.WriteString("strategy", alias.Strategy.ToString().ToLowerInvariant());
            json.WriteStartArray("route");
            foreach (var route in alias.Route)
            {
                json.WriteStringValue(route);
            }

            json.WriteEndArray();
            json.WriteBoolean("embeddings", config.EmbeddingModelOf(alias.Id) is not null);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
