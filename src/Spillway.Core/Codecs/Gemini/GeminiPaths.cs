using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// The Gemini paths of a model, relative to a provider's base URL (<c>https://generativelanguage.googleapis.com/v1beta</c>):
/// Gemini takes the model id in the path, never in the body.
/// </summary>
public static class GeminiPaths
{
    /// <summary><c>models/{model}:generateContent</c>.</summary>
    public static string GenerateContent(string model) => ModelPath(model) + ":generateContent";

    /// <summary><c>models/{model}:streamGenerateContent?alt=sse</c>: without <c>alt=sse</c> Gemini streams one JSON array.</summary>
    public static string StreamGenerateContent(string model) => ModelPath(model) + ":streamGenerateContent?alt=sse";

    /// <summary><c>models/{model}:countTokens</c>.</summary>
    public static string CountTokens(string model) => ModelPath(model) + ":countTokens";

    /// <summary><c>models/{model}:embedContent</c>: one input, one vector.</summary>
    public static string EmbedContent(string model) => ModelPath(model) + ":embedContent";

    /// <summary><c>models/{model}:batchEmbedContents</c>: a list of inputs, one vector each, in order.</summary>
    public static string BatchEmbedContents(string model) => ModelPath(model) + ":batchEmbedContents";

    /// <summary>The streaming or the whole-answer path, as <paramref name="request"/> asks.</summary>
    public static string For(ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Stream ? StreamGenerateContent(request.Model) : GenerateContent(request.Model);
    }

    /// <summary>
    /// <c>models/{model}</c>, the resource name Gemini also uses inside bodies. A model already given as a resource
    /// name (<c>models/…</c>, <c>tunedModels/…</c>) is kept; each segment is escaped so an id cannot change the path.
    /// </summary>
    public static string ModelPath(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var slash = model.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && (model.StartsWith("models/", StringComparison.Ordinal)
            || model.StartsWith("tunedModels/", StringComparison.Ordinal)))
        {
            return model[..(slash + 1)] + Uri.EscapeDataString(model[(slash + 1)..]);
        }

        return "models/" + Uri.EscapeDataString(model);
    }
}
