namespace Spillway.Core.Codecs;

/// <summary>
/// What a client may send as a model name. A name is routed, echoed in the <c>x-spillway-route</c> header, written
/// to the ledger and, for some upstreams, put in a URL path: a control character or a name of many kilobytes is
/// refused at the door rather than carried that far.
/// </summary>
public static class ModelNameRules
{
    /// <summary>The longest name accepted; real model ids and aliases are far shorter.</summary>
    public const int MaxLength = 256;

    /// <summary>Why <paramref name="name"/> cannot be a model name ("is empty", …), or null when it can.</summary>
    public static string? Problem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            return "is empty";
        }

        if (name.Length > MaxLength)
        {
            return $"is longer than {MaxLength} characters";
        }

        return name.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0 || name.Contains('\u007f', StringComparison.Ordinal)
            ? "contains control characters"
            : null;
    }
}
