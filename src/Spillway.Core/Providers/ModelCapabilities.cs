namespace Spillway.Core.Providers;

/// <summary>
/// What one model can take, as far as it is known. Null means unknown, and unknown counts as supported: a
/// request is only kept from a route when the preset or the user's config says the model cannot serve it.
/// </summary>
/// <param name="Tools">Takes tool (function) definitions and calls them.</param>
/// <param name="Vision">Reads image input.</param>
/// <param name="Json">Honours JSON mode or structured output (<c>response_format</c>).</param>
/// <param name="ContextTokens">The most input tokens one request may carry.</param>
public sealed record ModelCapabilities(bool? Tools = null, bool? Vision = null, bool? Json = null, int? ContextTokens = null)
{
    public static ModelCapabilities Unknown { get; } = new();

    /// <summary>These figures where set, <paramref name="fallback"/>'s where not: a user override names only what it changes.</summary>
    public ModelCapabilities Over(ModelCapabilities fallback) => new(
        Tools ?? fallback.Tools,
        Vision ?? fallback.Vision,
        Json ?? fallback.Json,
        ContextTokens ?? fallback.ContextTokens);
}
