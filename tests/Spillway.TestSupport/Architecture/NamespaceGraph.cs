namespace Spillway.TestSupport.Architecture;

/// <summary>
/// Which namespaces use which, each edge with the members or types that make it, so a failing check can name them.
/// </summary>
public sealed class NamespaceGraph
{
    private readonly SortedSet<string> _namespaces = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To), SortedSet<string>> _edges = [];

    public IReadOnlyCollection<string> Namespaces => _namespaces;

    public IEnumerable<NamespaceEdge> Edges =>
        _edges
            .OrderBy(e => e.Key.From, StringComparer.Ordinal)
            .ThenBy(e => e.Key.To, StringComparer.Ordinal)
            .Select(e => new NamespaceEdge(e.Key.From, e.Key.To, e.Value));

    public void AddNamespace(string name) => _namespaces.Add(name);

    /// <summary>Records that <paramref name="from"/> uses <paramref name="to"/> because of <paramref name="cause"/>; a namespace's use of itself is not an edge.</summary>
    public void AddEdge(string from, string to, string cause)
    {
        AddNamespace(from);
        AddNamespace(to);
        if (from == to)
        {
            return;
        }

        if (!_edges.TryGetValue((from, to), out var causes))
        {
            causes = new SortedSet<string>(StringComparer.Ordinal);
            _edges[(from, to)] = causes;
        }

        causes.Add(cause);
    }

    /// <summary>The namespaces that reach each other (strongly connected components of more than one), each sorted.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        // Tarjan's algorithm; the graphs are a few dozen nodes, recursion depth is no concern.
        var next = _namespaces.ToDictionary(n => n, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var (from, to) in _edges.Keys)
        {
            next[from].Add(to);
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var lowLink = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();

        void Visit(string node)
        {
            index[node] = lowLink[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var target in next[node])
            {
                if (!index.TryGetValue(target, out var targetIndex))
                {
                    Visit(target);
                    lowLink[node] = Math.Min(lowLink[node], lowLink[target]);
                }
                else if (onStack.Contains(target))
                {
                    lowLink[node] = Math.Min(lowLink[node], targetIndex);
                }
            }

            if (lowLink[node] != index[node])
            {
                return;
            }

            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            }
            while (member != node);

            if (component.Count > 1)
            {
                component.Sort(StringComparer.Ordinal);
                cycles.Add(component);
            }
        }

        foreach (var node in _namespaces)
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return cycles;
    }

    /// <summary>The edges of a shortest way from <paramref name="start"/> back to itself; empty when there is none.</summary>
    public IReadOnlyList<NamespaceEdge> ShortestCycleThrough(string start)
    {
        var edges = Edges.ToList();
        var cameFrom = new Dictionary<string, NamespaceEdge>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var edge in edges.Where(e => e.From == node))
            {
                if (edge.To == start)
                {
                    var path = new List<NamespaceEdge> { edge };
                    for (var at = node; at != start; at = cameFrom[at].From)
                    {
                        path.Add(cameFrom[at]);
                    }

                    path.Reverse();
                    return path;
                }

                if (cameFrom.TryAdd(edge.To, edge))
                {
                    queue.Enqueue(edge.To);
                }
            }
        }

        return [];
    }
}

/// <summary>One namespace using another, with the members or types that cause it (sorted, "origin -> target").</summary>
public sealed record NamespaceEdge(string From, string To, IReadOnlyCollection<string> Causes)
{
    private const int CausesShown = 8;

    public string Describe()
    {
        var shown = Causes.Take(CausesShown).Select(c => "\n      " + c);
        var more = Causes.Count > CausesShown ? $"\n      … and {Causes.Count - CausesShown} more" : "";
        return $"{From} -> {To}{string.Concat(shown)}{more}";
    }
}
