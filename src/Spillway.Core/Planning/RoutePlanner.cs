using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Spillway.Core.Catalog;
using Spillway.Core.Configuration;
using Spillway.Core.Health;
using Spillway.Core.KeyState;
using Spillway.Core.Ledger;
using Spillway.Core.Pricing;
using Spillway.Core.Providers;

namespace Spillway.Core.Planning;

/// <summary>
/// Turns what the client asked for (an alias, a <c>provider/model</c> route, or an ad-hoc <c>models</c> list)
/// into ordered steps of route and key. Each name the client gave is planned on its own and the results are chained
/// in the client's order: an alias by its strategy (<see cref="StepOrdering"/>), a direct route by the default
/// <c>free-first</c>, which only puts its free keys before its paid ones. Within a route, keys come in their
/// provider's <c>key_selection</c> order. Policy and capability filters run here and are recorded as skips.
/// The route <c>PROVIDER/free</c> of a provider whose catalog lists free models expands into those that fit the
/// request (<see cref="FreeRoutes"/>); a model the catalog describes is held to what it says it can take.
/// </summary>
public sealed class RoutePlanner
{
    /// <summary>Each alias's routes parsed once (an alias is an immutable part of a config snapshot).</summary>
    private static readonly ConditionalWeakTable<ModelAliasConfig, RouteRef?[]> ParsedRoutes = new();

    private readonly IRouteSpeed _speed;
    private readonly KeyOrder _keys;
    private readonly IModelCatalog _catalog;
    private readonly FreeRoutes _free;
    private readonly PriceBooks _prices;

    public RoutePlanner(IRouteSpeed speed, IKeyUsage usage)
        : this(speed, usage, NoModelCatalog.Instance)
    {
    }

    public RoutePlanner(IRouteSpeed speed, IKeyUsage usage, IModelCatalog catalog)
        : this(speed, usage, catalog, new PriceBooks(catalog is NoModelCatalog ? null : new CatalogPriceSource(catalog)))
    {
    }

    /// <param name="prices">The price book of each config snapshot, shared with the cost calculator.</param>
    public RoutePlanner(IRouteSpeed speed, IKeyUsage usage, IModelCatalog catalog, PriceBooks prices)
    {
        ArgumentNullException.ThrowIfNull(speed);
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(catalog);
        _speed = speed;
        _keys = new KeyOrder(new KeyRotation(), usage);
        _catalog = catalog;
        _free = new FreeRoutes(catalog);
        ArgumentNullException.ThrowIfNull(prices);
        _prices = prices;
    }

    /// <summary>Plans the request, or returns the reason it names nothing routable.</summary>
    public RoutePlan? Plan(SpillwayConfig config, PlanRequest request, out string? error)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(request);
        var groups = new List<(RoutingStrategy Strategy, List<RouteRef> Routes)>(request.Models.Count + 1);
        for (var n = -1; n < request.Models.Count; n++)
        {
            // The model first, then the models list, in the client's order.
            var name = n < 0 ? request.Model : request.Models[n];
            if (n < 0 && string.IsNullOrEmpty(name))
            {
                continue;
            }

            if (Expand(config, name!) is not { } group)
            {
                error = $"The model '{name}' does not exist: it is neither an alias nor a 'provider/model' route of a configured provider. GET /v1/models lists what is routable.";
                return null;
            }

            groups.Add(group);
        }

        error = null;
        var steps = ImmutableArray.CreateBuilder<RouteStep>();
        var skips = ImmutableArray.CreateBuilder<AttemptRecord>();
        for (var i = 0; i < groups.Count; i++)
        {
            groups[i] = (groups[i].Strategy, _free.Expand(config, groups[i].Routes, request.Needs, skips));
        }

        // Both made on the second step or provider only: most requests plan one route with one key.
        (string KeyId, string Model)? first = null;
        HashSet<(string, string)>? seen = null;
        (string ProviderId, IReadOnlyList<KeyConfig> Keys)? firstKeys = null;
        Dictionary<string, IReadOnlyList<KeyConfig>>? keyOrders = null;
        foreach (var (strategy, routes) in groups)
        {
            var kept = new List<RouteStep>(routes.Count);
            foreach (var route in routes)
            {
                var provider = config.FindProvider(route.ProviderId)!;
                IReadOnlyList<KeyConfig>? keys;
                if (firstKeys is { } known && known.ProviderId == provider.Id)
                {
                    keys = known.Keys;
                }
                else if (firstKeys is null)
                {
                    // Once per request and provider: a provider in several routes rotates once, not once per route.
                    keys = _keys.For(provider);
                    firstKeys = (provider.Id, keys);
                }
                else if (!(keyOrders ??= new(StringComparer.Ordinal)).TryGetValue(provider.Id, out keys))
                {
                    keys = _keys.For(provider);
                    keyOrders[provider.Id] = keys;
                }

                foreach (var key in keys)
                {
                    if (first is null)
                    {
                        first = (key.Id, route.Model);
                    }
                    else
                    {
                        seen ??= [first.Value];
                        if (!seen.Add((key.Id, route.Model)))
                        {
                            continue;
                        }
                    }

                    var step = new RouteStep(provider, route.Model, key);
                    if (SkipOf(step, request) is { } skip)
                    {
                        skips.Add(skip);
                    }
                    else
                    {
                        kept.Add(step);
                    }
                }
            }

            steps.AddRange(StepOrdering.Order(kept, strategy, request.Needs, _prices, config, _speed));
        }

        return new RoutePlan(steps.ToImmutable(), skips.ToImmutable())
        {
            OnStreamFailure = request.Model is { } model && config.FindAlias(model) is { } alias ? alias.OnStreamFailure : StreamFailureMode.Continue,
        };
    }

    /// <summary>Why a step is ruled out before any call (budget, data policy, capability), or null when it stays.</summary>
    private AttemptRecord? SkipOf(RouteStep step, PlanRequest request)
    {
        if (request.Policy.FreeOnly && step.Key.Tier == KeyTier.Paid)
        {
            return new AttemptRecord(step.Route, step.Key.Id, null, Outcomes.SkippedBudget, 0, "paid key; the request allows free tiers only");
        }

        if (request.Policy.NoTrain && DataPolicy.MayTrainOn(step))
        {
            return new AttemptRecord(step.Route, step.Key.Id, null, Outcomes.SkippedPolicy, 0, "may train on prompts; the request asks no-train");
        }

        return CapabilityFilter.Missing(request.Needs, CapabilitiesOf(step)) is { } missing
            ? new AttemptRecord(step.Route, step.Key.Id, null, Outcomes.SkippedCapability, 0, missing)
            : null;
    }

    /// <summary>What the config says the model can take, and where it is silent what the provider's catalog says.</summary>
    private ModelCapabilities CapabilitiesOf(RouteStep step)
    {
        var configured = step.Provider.CapabilitiesOf(step.Model);
        return _catalog.Describe(step.Provider, step.Model) is { } listed ? configured.Over(listed.Capabilities) : configured;
    }

    private static (RoutingStrategy, List<RouteRef>)? Expand(SpillwayConfig config, string name)
    {
        if (config.FindAlias(name) is { } alias)
        {
            var parsed = ParsedRoutes.GetValue(alias, static a => [.. a.Route.Select(entry => RouteRef.TryParse(entry, out var r) ? r : (RouteRef?)null)]);
            var routes = new List<RouteRef>(parsed.Length);
            foreach (var entry in parsed)
            {
                // The config loader has validated alias routes; one that no longer resolves is skipped.
                if (entry is { } route && config.FindProvider(route.ProviderId) is not null)
                {
                    routes.Add(route);
                }
            }

            return (alias.Strategy, routes);
        }

        if (RouteRef.TryParse(name, out var direct) && config.FindProvider(direct.ProviderId) is not null)
        {
            return (RoutingStrategy.FreeFirst, [direct]);
        }

        return null;
    }
}
