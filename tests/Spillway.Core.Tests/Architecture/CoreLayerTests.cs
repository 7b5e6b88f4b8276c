using Spillway.Core.Chat;
using Spillway.TestSupport.Architecture;

namespace Spillway.Core.Tests.Architecture;

/// <summary>Spillway.Core's namespaces form layers: each uses only lower layers (and its parents), never in a cycle.</summary>
public sealed class CoreLayerTests
{
    /// <summary>The one place Core's layering is declared, lowest layer first.</summary>
    public static readonly LayerTable Layers = new(
        "Spillway.Core",
        ["Buffers"],
        ["Streaming", "Chat", "Budgets", "Providers.RateLimits"],
        ["Providers"],
        ["Configuration", "KeyState", "Secrets", "Tokens"],
        ["Configuration.Yaml", "Failures", "Failures.Classification", "Failures.Vocabularies"],
        ["Pricing", "Providers.Presets", "Ledger"],
        ["Catalog", "Health"],
        ["Codecs", "Codecs.OpenAI", "Codecs.Anthropic", "Codecs.Gemini", "Telemetry"],
        ["Codecs.Responses"],
        ["Planning"],
        ["Counting", "Engine"],
        ["Embeddings", "Configuration.Loading"]);

    [Fact]
    public void CoreAssembly_NamespaceDependencies_KeepTheLayerTable()
    {
        var graph = AssemblyNamespaces.Graph(typeof(ChatRequest).Assembly);

        var problems = Layers.Problems(graph);

        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }
}
