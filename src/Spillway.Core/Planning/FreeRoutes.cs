using System.Collections.Immutable;
using Spillway.Core.Catalog;
using Spillway.Core.Configuration;
using Spillway.Core.Ledger;

namespace Spillway.Core.Planning;

/// <summary>
/// Expands the dynamic route <c>PROVIDER/free</c> (the contract's <c>openrouter/free</c>) into the provider's free
/// models that fit the request: context length, tools, images and JSON mode as the catalog lists them. Each request
/// starts one model further along the list, so load spreads across them, and the next models follow as fallbacks,
/// so a rate-limited model hands over to the next (a model cooled down is then skipped by its cooldown). At most
/// <see cref="MaxModels"/> models per request. While the catalog knows no free model of the provider the route stays
/// as configured (OpenRouter's own <c>openrouter/free</c> router).
/// </summary>
internal sealed class FreeRoutes(IModelCatalog catalog)
{
    /// <summary>The route model name that expands.</summary>
    public const string Model = "free";

    /// <summary>The most free models one request is planned over.</summary>
    public const int MaxModels = 8;

    private readonly KeyRotation _rotation = new();

    /// <summary><paramref name="routes"/> with every <c>PROVIDER/free</c> expanded; a route no free model fits is recorded as a skip.</summary>
    public List<RouteRef> Expand(SpillwayConfig config, List<RouteRef> routes, RequestNeeds needs, ImmutableArray<AttemptRecord>.Builder skips)
    {
        if (!routes.Exists(route => route.Model == Model))
        {
            return routes;
        }

        var expanded = new List<RouteRef>(routes.Count + MaxModels);
        foreach (var route in routes)
        {
            var provider = config.FindProvider(route.ProviderId);
            var free = route.Model == Model && provider is not null ? catalog.FreeModels(provider) : [];
            if (free.Count == 0)
            {
                expanded.Add(route);
                continue;
            }

            var fitting = free.Where(model => CapabilityFilter.Missing(needs, model.Capabilities) is null).ToList();
            if (fitting.Count == 0)
            {
                skips.Add(new AttemptRecord(route.ToString(), null, null, Outcomes.SkippedCapability, 0,
                    $"none of the {free.Count} free models in the catalog fits the request (tools, images, JSON mode, context)"));
                continue;
            }

            var start = (int)(_rotation.Next(route.ProviderId) % (ulong)fitting.Count);
            for (var i = 0; i < Math.Min(fitting.Count, MaxModels); i++)
            {
                expanded.Add(new RouteRef(route.ProviderId, fitting[(start + i) % fitting.Count].Id));
            }
        }

        return expanded;
    }
}
