using System.Collections.Immutable;
using Spillway.Core.Configuration;
using Spillway.Core.Ledger;

namespace Spillway.Core.Routing;

/// <summary>
/// Turns what the client asked for (an alias, a <c>provider/model</c> route, or an ad-hoc <c>models</c> list)
/// into ordered steps of route and key. Policy filters run here and are recorded as skips.
/// </summary>
public static class RoutePlanner
{
    /// <summary>Plans the request, or returns the reason it names nothing routable.</summary>
    public static RoutePlan? Plan(
        SpillwayConfig config,
        string? model,
        IReadOnlyList<string> models,
        RequestPolicy policy,
        out string? error)
    {
        error = null;
        var routes = new List<RouteRef>();
        var names = new List<string>(models.Count + 1);
        if (!string.IsNullOrEmpty(model))
        {
            names.Add(model);
        }

        names.AddRange(models);
        foreach (var name in names)
        {
            if (!Expand(config, name, routes, out error))
            {
                return null;
            }
        }

        var steps = ImmutableArray.CreateBuilder<RouteStep>();
        var skips = ImmutableArray.CreateBuilder<AttemptRecord>();
        var seen = new HashSet<(string, string)>();
        foreach (var route in routes)
        {
            var provider = config.FindProvider(route.ProviderId)!;
            foreach (var key in provider.Keys)
            {
                if (!seen.Add((key.Id, route.Model)))
                {
                    continue;
                }

                var step = new RouteStep(provider, route.Model, key);
                if (policy.FreeOnly && key.Tier == KeyTier.Paid)
                {
                    skips.Add(new AttemptRecord(step.Route, key.Id, null, Outcomes.SkippedBudget, 0, "paid key; the request allows free tiers only"));
                }
                else if (policy.NoTrain && provider.MayTrainOnPrompts)
                {
                    skips.Add(new AttemptRecord(step.Route, key.Id, null, Outcomes.SkippedPolicy, 0, "provider may train on prompts; the request asks no-train"));
                }
                else
                {
                    steps.Add(step);
                }
            }
        }

        return new RoutePlan(steps.ToImmutable(), skips.ToImmutable());
    }

    private static bool Expand(SpillwayConfig config, string name, List<RouteRef> routes, out string? error)
    {
        error = null;
        var alias = config.FindAlias(name);
        if (alias is not null)
        {
            foreach (var entry in alias.Route)
            {
                // The config loader has validated alias routes; one that no longer resolves is skipped.
                if (RouteRef.TryParse(entry, out var route) && config.FindProvider(route.ProviderId) is not null)
                {
                    routes.Add(route);
                }
            }

            return true;
        }

        if (RouteRef.TryParse(name, out var direct) && config.FindProvider(direct.ProviderId) is not null)
        {
            routes.Add(direct);
            return true;
        }

        error = $"The model '{name}' does not exist: it is neither an alias nor a 'provider/model' route of a configured provider. GET /v1/models lists what is routable.";
        return false;
    }
}
