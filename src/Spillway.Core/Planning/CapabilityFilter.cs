using System.Globalization;
using Spillway.Core.Providers;

namespace Spillway.Core.Planning;

/// <summary>
/// Tells whether a model can take a request: only a capability the model is known to lack rules it out (unknown
/// counts as supported, so nothing is refused on a guess).
/// </summary>
public static class CapabilityFilter
{
    /// <summary>What the model lacks for this request, as a short reason naming it; null when it can take the request.</summary>
    public static string? Missing(RequestNeeds needs, ModelCapabilities model)
    {
        ArgumentNullException.ThrowIfNull(needs);
        ArgumentNullException.ThrowIfNull(model);
        List<string>? missing = null;
        if (needs.Tools && model.Tools == false)
        {
            (missing ??= []).Add("tool calling");
        }

        if (needs.Images && model.Vision == false)
        {
            (missing ??= []).Add("image input");
        }

        if (needs.Json && model.Json == false)
        {
            (missing ??= []).Add("JSON mode (response_format)");
        }

        if (!needs.Images && model.ContextTokens is { } context && needs.InputTokens > context)
        {
            (missing ??= []).Add(string.Create(
                CultureInfo.InvariantCulture, $"a context of about {needs.InputTokens} input tokens (it takes {context})"));
        }

        return missing is null ? null : "the model does not support " + string.Join(", ", missing);
    }
}
