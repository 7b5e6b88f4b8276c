using System.Net.Http.Headers;

namespace Spillway.Core.Providers.RateLimits;

/// <summary>
/// A case-insensitive, read-only view of an upstream answer's headers: the response's own headers and its
/// content headers, or a plain map (tests, and the headers OpenRouter copies into <c>error.metadata.headers</c>).
/// </summary>
/// <remarks>
/// Read on every upstream answer, so the <see cref="HttpResponseMessage"/> form reads through
/// <see cref="HttpHeaders.NonValidated"/>: no parsing, no validation, no copy, and a single value comes back as
/// the very string the handler stored. The default value is <see cref="Empty"/>.
/// </remarks>
public readonly struct UpstreamHeaders
{
    private readonly HttpResponseHeaders? _response;
    private readonly HttpContentHeaders? _content;
    private readonly IReadOnlyDictionary<string, string>? _map;

    /// <summary>A view over a response's headers and, when it has content, its content headers.</summary>
    public UpstreamHeaders(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        _response = response.Headers;
        _content = response.Content?.Headers;
        _map = null;
    }

    /// <summary>A view over a name → value map; names are matched without regard to case.</summary>
    public UpstreamHeaders(IReadOnlyDictionary<string, string> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _response = null;
        _content = null;
        _map = headers is Dictionary<string, string> d && ReferenceEquals(d.Comparer, StringComparer.OrdinalIgnoreCase)
            ? d
            : CopyIgnoringCase(headers);
    }

    /// <summary>No headers at all.</summary>
    public static UpstreamHeaders Empty => default;

    /// <summary>True when this view holds no source of headers (the default value).</summary>
    public bool IsEmpty => _response is null && _content is null && (_map is null || _map.Count == 0);

    /// <summary>The header's value, several values joined with ", "; null when absent.</summary>
    public string? Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_map is not null)
        {
            return _map.TryGetValue(name, out var mapped) ? mapped : null;
        }

        if (_response is not null && _response.NonValidated.TryGetValues(name, out var values))
        {
            return values.ToString();
        }

        if (_content is not null && _content.NonValidated.TryGetValues(name, out var contentValues))
        {
            return contentValues.ToString();
        }

        return null;
    }

    private static Dictionary<string, string> CopyIgnoringCase(IReadOnlyDictionary<string, string> headers)
    {
        var copy = new Dictionary<string, string>(headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            copy[name] = value;
        }

        return copy;
    }
}
