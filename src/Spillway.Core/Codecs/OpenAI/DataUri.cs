namespace Spillway.Core.Codecs.OpenAI;

/// <summary>Base64 <c>data:</c> URIs, the way OpenAI-format clients send inline images.</summary>
internal static class DataUri
{
    /// <summary>Splits <c>data:&lt;media type&gt;;base64,&lt;data&gt;</c>; false for anything else.</summary>
    public static bool TryParse(string uri, out string mediaType, out string base64Data)
    {
        mediaType = base64Data = "";
        if (!uri.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var comma = uri.IndexOf(',', StringComparison.Ordinal);
        const string Marker = ";base64";
        if (comma < 0 || !uri.AsSpan(5, comma - 5).EndsWith(Marker, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        mediaType = uri[5..(comma - Marker.Length)];
        base64Data = uri[(comma + 1)..];
        return mediaType.Length > 0;
    }

    public static string Create(string mediaType, string base64Data) => $"data:{mediaType};base64,{base64Data}";
}
