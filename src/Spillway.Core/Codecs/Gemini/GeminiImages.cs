namespace Spillway.Core.Codecs.Gemini;

/// <summary>Which image references Gemini can take, and in which part.</summary>
internal static class GeminiImages
{
    public static bool IsImageMime(string? mimeType) =>
        mimeType is not null && mimeType.StartsWith("image/", StringComparison.OrdinalIgnoreCase);

    /// <summary>Splits a base64 <c>data:</c> URI into its media type and data.</summary>
    public static bool TryParseDataUri(string url, out string mediaType, out string base64)
    {
        mediaType = base64 = string.Empty;
        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            return false;
        }

        var header = url.AsSpan(5, comma - 5);
        const string Base64Suffix = ";base64";
        if (!header.EndsWith(Base64Suffix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        mediaType = header[..^Base64Suffix.Length].ToString();
        base64 = url[(comma + 1)..];
        return mediaType.Length > 0;
    }

    /// <summary>
    /// True for URIs every Gemini model resolves itself: Files API files (<c>…googleapis.com/…/files/…</c>) and
    /// Cloud Storage (<c>gs://</c>).
    /// </summary>
    public static bool IsGeminiFileUri(string url)
    {
        if (url.StartsWith("gs://", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && uri.Scheme == Uri.UriSchemeHttps
            && uri.Host.Equals("generativelanguage.googleapis.com", StringComparison.OrdinalIgnoreCase)
            && uri.AbsolutePath.Contains("/files/", StringComparison.Ordinal);
    }

    public static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// <summary>The image media type implied by the URL path's extension, or null.</summary>
    public static string? GuessMimeType(string url)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url;
        var dot = path.LastIndexOf('.');
        if (dot < 0)
        {
            return null;
        }

        return path[(dot + 1)..].ToUpperInvariant() switch
        {
            "PNG" => "image/png",
            "JPG" or "JPEG" => "image/jpeg",
            "WEBP" => "image/webp",
            "GIF" => "image/gif",
            "HEIC" => "image/heic",
            "HEIF" => "image/heif",
            _ => null,
        };
    }
}
