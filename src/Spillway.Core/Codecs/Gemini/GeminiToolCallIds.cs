using System.Globalization;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Ids for Gemini function calls that came without one. The canonical model needs an id to tie a result to its
/// call; Gemini ties them by name and order and usually sends none.
/// </summary>
/// <remarks>
/// A made-up id has the shape <c>call_{scope}_{n}</c> (or <c>call_{n}</c>): stable for the same answer, unique
/// across turns because the scope is the answer's <c>responseId</c> (or the turn's position). The encoder
/// recognises the shape and leaves such ids out, so Gemini gets back exactly the calls it made; leaving out a
/// foreign id that happens to share the shape costs nothing, as Gemini matches results by name.
/// </remarks>
internal static class GeminiToolCallIds
{
    private const string Prefix = "call_";

    public static string Generate(string? scope, int n) =>
        string.IsNullOrEmpty(scope)
            ? Prefix + n.ToString(CultureInfo.InvariantCulture)
            : Prefix + scope + "_" + n.ToString(CultureInfo.InvariantCulture);

    public static bool IsGenerated(string id)
    {
        if (!id.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var lastUnderscore = id.LastIndexOf('_');
        var digits = id.AsSpan(lastUnderscore + 1);
        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
