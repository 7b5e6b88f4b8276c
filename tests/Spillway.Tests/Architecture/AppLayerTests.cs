using Spillway.Hosting;
using Spillway.TestSupport.Architecture;

namespace Spillway.Tests.Architecture;

/// <summary>The app's namespaces form layers: each uses only lower layers, never in a cycle (Core has its own test).</summary>
public sealed class AppLayerTests
{
    /// <summary>The one place the app's layering is declared, lowest layer first.</summary>
    /// <remarks>
    /// Serving is what endpoints share with the hosting that keeps it current (the config snapshot, the body limit);
    /// Hosting composes the endpoints and runs the background services; Cli starts the hosting or the demo.
    /// </remarks>
    public static readonly LayerTable Layers = new(
        "Spillway",
        ["Serving", "Security"],
        ["Http"],
        ["Endpoints", "Dashboard"],
        ["Hosting", "Demo"],
        ["Cli"]);

    [Fact]
    public void AppAssembly_NamespaceDependencies_KeepTheLayerTable()
    {
        var graph = AssemblyNamespaces.Graph(typeof(SpillwayApp).Assembly);

        var problems = Layers.Problems(graph);

        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }
}
