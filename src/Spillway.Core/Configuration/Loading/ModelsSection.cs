using System.Collections.Immutable;
using Spillway.Core.Configuration.Yaml;
using Spillway.Core.Providers;
using YamlDotNet.RepresentationModel;

namespace Spillway.Core.Configuration.Loading;

/// <summary>Reads <c>models:</c>, the aliases clients may ask for besides <c>provider/model</c>.</summary>
internal static class ModelsSection
{
    private static readonly string[] Fields = ["id", "strategy", "route", "on_stream_failure"];

    public static ImmutableArray<ModelAliasConfig> Read(YamlMap root, IReadOnlyCollection<ProviderConfig> providers)
    {
        var items = root.List("models");

        // Alias ids first, so a route step that names another alias can be told apart from a typo.
        var aliasIds = items
            .Select(item => item.Node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("id"), out var id) && id is YamlScalarNode { Value: { } v } ? v.Trim() : null)
            .OfType<string>();
        var routes = new RouteChecks(providers.Select(p => p.Id), aliasIds);

        var aliases = ImmutableArray.CreateBuilder<ModelAliasConfig>();
        var idLines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (node, path) in items)
        {
            var map = YamlMap.Open(root.Context, node, path, Fields);
            var id = map.RequiredText("id", "every alias needs the model name clients will ask for");
            if (id.Any(char.IsWhiteSpace))
            {
                throw map.Error("id", $"{YamlValues.Quote(id)} must not contain spaces");
            }

            // "groq/x" as an alias would shadow the route of the same name; one name must mean one thing.
            var slash = id.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && routes.IsProvider(id[..slash]))
            {
                throw map.Error("id", $"alias {YamlValues.Quote(id)} clashes with the routes of provider {YamlValues.Quote(id[..slash])}");
            }

            if (!idLines.TryAdd(id, ConfigReadContext.Line(map.Get("id")!)))
            {
                throw map.Error("id", $"duplicate alias {YamlValues.Quote(id)} (first used on line {idLines[id]})");
            }

            var strategy = map.Get("strategy") is { } strategyNode
                ? ConfigNames.Strategy(map.Context, strategyNode, map.PathOf("strategy"))
                : RoutingStrategy.FreeFirst;

            var steps = map.List("route");
            if (steps.Count == 0)
            {
                throw map.Missing("route", "an alias needs at least one provider/model step");
            }

            var route = ImmutableArray.CreateBuilder<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (stepNode, stepPath) in steps)
            {
                var step = routes.Check(map.Context, stepNode, stepPath);
                if (!seen.Add(step))
                {
                    throw map.Context.Error(stepNode, stepPath, $"{YamlValues.Quote(step)} is already in this route");
                }

                route.Add(step);
            }

            aliases.Add(new ModelAliasConfig(id, strategy, route.ToImmutable())
            {
                OnStreamFailure = map.Get("on_stream_failure") is { } mode
                    ? ConfigNames.StreamFailure(map.Context, mode, map.PathOf("on_stream_failure"))
                    : StreamFailureMode.Continue,
            });
        }

        return aliases.ToImmutable();
    }
}
