using System.Text;

namespace Spillway.Http;

/// <summary>Request header values as the door reads them, and text made safe to send back as a response header value.</summary>
internal static class HeaderValues
{
    /// <summary>The request header's value, or null when it is absent or empty.</summary>
    public static string? OrNull(HttpRequest request, string name)
    {
        var value = request.Headers[name].ToString();
        return value.Length == 0 ? null : value;
    }

    /// <summary>
    /// <paramref name="value"/> with every character outside printable ASCII percent-encoded as UTF-8
    /// (<c>openai/modèle</c> → <c>openai/mod%C3%A8le</c>). Kestrel refuses control and non-ASCII characters in a
    /// header, and a name a client chose must not fail the response (or split it).
    /// </summary>
    public static string Safe(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.AsSpan().ContainsAnyExceptInRange(' ', '~'))
        {
            return value;
        }

        var output = new StringBuilder(value.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.Value is >= ' ' and <= '~')
            {
                output.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                output.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return output.ToString();
    }
}
