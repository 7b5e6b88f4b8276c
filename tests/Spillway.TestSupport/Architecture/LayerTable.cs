namespace Spillway.TestSupport.Architecture;

/// <summary>
/// The declared layering of one assembly's namespaces, lowest layer first. A namespace may use namespaces of lower
/// layers and its own ancestors (a sub-namespace may use its parent); namespaces in the same layer may not use each
/// other; every namespace under the root must be declared; no namespaces may reach each other in a cycle.
/// </summary>
public sealed class LayerTable
{
    private readonly string _root;
    private readonly Dictionary<string, int> _layerOf = new(StringComparer.Ordinal);

    /// <param name="root">The assembly's root namespace; names in <paramref name="layers"/> are relative to it.</param>
    /// <param name="layers">Layer 0 first; each layer lists its namespaces.</param>
    public LayerTable(string root, params string[][] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _root = root;
        for (var layer = 0; layer < layers.Length; layer++)
        {
            foreach (var name in layers[layer])
            {
                if (!_layerOf.TryAdd(Qualify(name), layer))
                {
                    throw new ArgumentException($"{name} is declared in more than one layer.", nameof(layers));
                }
            }
        }
    }

    /// <summary>Each declared namespace (fully qualified) and its layer, 0 the lowest.</summary>
    public IReadOnlyDictionary<string, int> LayerOf => _layerOf;

    /// <summary>The namespaces under the root, without the namespaces the compiler or source generators add elsewhere.</summary>
    public bool Owns(string name) => name == _root || name.StartsWith(_root + ".", StringComparison.Ordinal);

    /// <summary>Every way <paramref name="graph"/> breaks the table, each naming the edge and what causes it; empty when it keeps it.</summary>
    public IReadOnlyList<string> Problems(NamespaceGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var problems = new List<string>();

        foreach (var name in graph.Namespaces.Where(n => Owns(n) && !_layerOf.ContainsKey(n)))
        {
            problems.Add($"Namespace {name} is not in the layer table.");
        }

        foreach (var edge in graph.Edges.Where(e => Owns(e.From) && Owns(e.To)))
        {
            if (IsAncestor(edge.To, edge.From)
                || !_layerOf.TryGetValue(edge.From, out var from)
                || !_layerOf.TryGetValue(edge.To, out var to)
                || from > to)
            {
                continue;
            }

            var kind = from == to ? $"same layer L{from}" : $"upward L{from} -> L{to}";
            problems.Add($"Dependency against the layer table ({kind}): {edge.Describe()}");
        }

        foreach (var cycle in graph.Cycles().Where(c => c.All(Owns)))
        {
            var edges = graph.ShortestCycleThrough(cycle[0]).Select(e => "\n    " + e.Describe());
            problems.Add($"Namespace cycle among {string.Join(", ", cycle)}; one way round:{string.Concat(edges)}");
        }

        return problems;
    }

    private string Qualify(string name) => name.Length == 0 ? _root : _root + "." + name;

    private static bool IsAncestor(string ancestor, string name) => name.StartsWith(ancestor + ".", StringComparison.Ordinal);
}
