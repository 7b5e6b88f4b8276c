using System.Globalization;
using System.Text;

namespace Spillway.Storage.Redis;

/// <summary>
/// Several strings in one Redis value or pub/sub message, each written as <c>length:text</c>, so a key id, a model or
/// a reason may hold any character (a colon, a newline) without escaping. No JSON: nothing to reflect on.
/// </summary>
internal static class FieldCodec
{
    public static string Join(params ReadOnlySpan<string> fields)
    {
        var builder = new StringBuilder();
        foreach (var field in fields)
        {
            builder.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field);
        }

        return builder.ToString();
    }

    /// <summary>The fields of <paramref name="text"/>; null when it is not in this format.</summary>
    public static List<string>? Split(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var fields = new List<string>();
        var at = 0;
        while (at < text.Length)
        {
            var colon = text.IndexOf(':', at);
            if (colon <= at ||
                !int.TryParse(text.AsSpan(at, colon - at), NumberStyles.None, CultureInfo.InvariantCulture, out var length) ||
                length > text.Length - colon - 1)
            {
                return null;
            }

            fields.Add(text.Substring(colon + 1, length));
            at = colon + 1 + length;
        }

        return fields;
    }
}
