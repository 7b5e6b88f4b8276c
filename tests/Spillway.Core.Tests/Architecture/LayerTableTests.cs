using Spillway.TestSupport.Architecture;

namespace Spillway.Core.Tests.Architecture;

/// <summary>The layer check itself, on made-up graphs, so a passing layer test means something.</summary>
public sealed class LayerTableTests
{
    private static readonly LayerTable Table = new("App", ["Low", "Low.Sub", "Side"], ["Mid"], ["High"]);

    [Fact]
    public void Problems_DownwardAndParentEdges_AreAccepted()
    {
        var graph = new NamespaceGraph();
        graph.AddEdge("App.High", "App.Mid", "App.High.H::Run() -> App.Mid.M");
        graph.AddEdge("App.High", "App.Low", "App.High.H -> App.Low.L");
        graph.AddEdge("App.Low.Sub", "App.Low", "App.Low.Sub.S -> App.Low.L");
        graph.AddEdge("App.Mid", "System.Text", "App.Mid.M -> System.Text.StringBuilder");

        Assert.Empty(Table.Problems(graph));
    }

    [Fact]
    public void Problems_UpwardEdge_NamesTheEdgeAndItsCause()
    {
        var graph = new NamespaceGraph();
        graph.AddEdge("App.Mid", "App.High", "App.Mid.M::Run() -> App.High.H::Go()");

        var problem = Assert.Single(Table.Problems(graph));

        Assert.Contains("upward L1 -> L2", problem, StringComparison.Ordinal);
        Assert.Contains("App.Mid -> App.High", problem, StringComparison.Ordinal);
        Assert.Contains("App.Mid.M::Run() -> App.High.H::Go()", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_SameLayerEdge_IsReported()
    {
        var graph = new NamespaceGraph();
        graph.AddEdge("App.Side", "App.Low", "App.Side.S -> App.Low.L");

        var problem = Assert.Single(Table.Problems(graph));

        Assert.Contains("same layer L0", problem, StringComparison.Ordinal);
        Assert.Contains("App.Side -> App.Low", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_ParentUsingItsSubNamespace_IsAllowedByLayerButReportedAsCycle()
    {
        var graph = new NamespaceGraph();
        graph.AddEdge("App.Low.Sub", "App.Low", "App.Low.Sub.S -> App.Low.L");
        graph.AddEdge("App.Low", "App.Low.Sub", "App.Low.L -> App.Low.Sub.S");

        var problems = Table.Problems(graph);

        Assert.Contains(problems, p => p.StartsWith("Namespace cycle among App.Low, App.Low.Sub;", StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_Cycle_IsReportedWithItsEdges()
    {
        var graph = new NamespaceGraph();
        graph.AddEdge("App.High", "App.Mid", "App.High.H -> App.Mid.M");
        graph.AddEdge("App.Mid", "App.Low", "App.Mid.M -> App.Low.L");
        graph.AddEdge("App.Low", "App.High", "App.Low.L -> App.High.H");

        var problems = Table.Problems(graph);

        var cycle = Assert.Single(problems, p => p.StartsWith("Namespace cycle among App.High, App.Low, App.Mid;", StringComparison.Ordinal));
        Assert.Contains("App.High -> App.Mid\n      App.High.H -> App.Mid.M", cycle, StringComparison.Ordinal);
        Assert.Contains("App.Mid -> App.Low\n      App.Mid.M -> App.Low.L", cycle, StringComparison.Ordinal);
        Assert.Contains("App.Low -> App.High\n      App.Low.L -> App.High.H", cycle, StringComparison.Ordinal);
        Assert.Contains(problems, p => p.Contains("upward L0 -> L2", StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_UndeclaredNamespace_IsReported()
    {
        var graph = new NamespaceGraph();
        graph.AddNamespace("App.Elsewhere");
        graph.AddNamespace("System.Text.RegularExpressions.Generated");

        var problem = Assert.Single(Table.Problems(graph));

        Assert.Equal("Namespace App.Elsewhere is not in the layer table.", problem);
    }

    [Fact]
    public void ShortestCycleThrough_TwoWaysRound_TakesTheShorter()
    {
        var graph = new NamespaceGraph();
        graph.AddEdge("A", "B", "a");
        graph.AddEdge("B", "C", "b");
        graph.AddEdge("C", "A", "c");
        graph.AddEdge("B", "A", "d");

        var path = graph.ShortestCycleThrough("A");

        Assert.Equal(["A -> B", "B -> A"], path.Select(e => $"{e.From} -> {e.To}"));
    }

    [Fact]
    public void Cycles_AcyclicGraph_IsEmpty()
    {
        var graph = new NamespaceGraph();
        graph.AddEdge("A", "B", "a");
        graph.AddEdge("B", "C", "b");
        graph.AddEdge("A", "C", "c");

        Assert.Empty(graph.Cycles());
    }
}
