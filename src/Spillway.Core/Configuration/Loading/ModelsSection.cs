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

            CheckEmbeddingChain(map, id, steps, route, providers);

            aliases.Add(new ModelAliasConfig(id, strategy, route.ToImmutable())
            {
                OnStreamFailure = map.Get("on_stream_failure") is { } mode
                    ? ConfigNames.StreamFailure(map.Context, mode, map.PathOf("on_stream_failure"))
                    : StreamFailureMode.Continue,
            });
        }

        return aliases.ToImmutable();
    }

    /// <summary>
    /// An alias with an embedding model in its chain may hold only routes of that same model (other hosts and keys of
    /// it are fine): vectors of different models live in different spaces, so a fallback to another model would hand
    /// the client vectors that silently do not compare with the ones it stored. The first route that breaks the rule
    /// is named with its line.
    /// </summary>
    private static void CheckEmbeddingChain(
        YamlMap map, string id, IReadOnlyList<(YamlNode Node, string Path)> steps, ImmutableArray<string>.Builder route, IReadOnlyCollection<ProviderConfig> providers)
    {
        var models = new (string Model, bool Embedding)[route.Count];
        string? embedding = null;
        for (var i = 0; i < route.Count; i++)
        {
            var slash = route[i].IndexOf('/', StringComparison.Ordinal);
            var model = route[i][(slash + 1)..];
            var provider = providers.FirstOrDefault(p => string.Equals(p.Id, route[i][..slash], StringComparison.Ordinal));
            var isEmbedding = provider?.IsEmbeddingModel(model) == true;
            models[i] = (model, isEmbedding);
            embedding ??= isEmbedding ? route[i] : null;
        }

        if (embedding is null)
        {
            return;
        }

        var embeddingModel = embedding[(embedding.IndexOf('/', StringComparison.Ordinal) + 1)..];
        for (var i = 0; i < route.Count; i++)
        {
            var (model, isEmbedding) = models[i];
            if (!isEmbedding)
            {
                throw map.Context.Error(steps[i].Node, steps[i].Path,
                    $"alias {YamlValues.Quote(id)} mixes embedding model {YamlValues.Quote(embeddingModel)} ({embedding}) with {YamlValues.Quote(route[i])}, " +
                    "which is not an embedding model; an embedding alias may only chain keys and hosts of that one model");
            }

            if (!string.Equals(model, embeddingModel, StringComparison.Ordinal))
            {
                throw map.Context.Error(steps[i].Node, steps[i].Path,
                    $"alias {YamlValues.Quote(id)} mixes embedding models {YamlValues.Quote(embeddingModel)} and {YamlValues.Quote(model)}: " +
                    "vectors of different models are not interchangeable, so give each embedding model its own alias");
            }
        }
    }
}
