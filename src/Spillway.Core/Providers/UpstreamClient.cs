using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Spillway.Core.Configuration;
using Spillway.Core.Routing;

namespace Spillway.Core.Providers;

/// <summary>
/// The one place that sends to upstreams: builds the request (URL, the key in the provider's auth style, extra
/// headers) and sends it through one shared, tuned <see cref="HttpMessageInvoker"/>. It never buffers a response.
/// </summary>
public sealed class UpstreamClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");
    private readonly HttpMessageInvoker _invoker;
    private readonly bool _ownsInvoker;
    private readonly ConcurrentDictionary<(string BaseUrl, string Path), Uri> _endpoints = new();

    public UpstreamClient(HttpMessageInvoker invoker, bool ownsInvoker = false)
    {
        _invoker = invoker;
        _ownsInvoker = ownsInvoker;
    }

    /// <summary>A client over a <see cref="SocketsHttpHandler"/> tuned for a gateway: pooled connections that are
    /// recycled (DNS changes), no redirects (credentials must not follow one), no decompression (bytes pass through).</summary>
    public static UpstreamClient CreateDefault(TimeSpan connectTimeout)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            EnableMultipleHttp2Connections = true,
            MaxResponseHeadersLength = 64,
        };
        return new UpstreamClient(new HttpMessageInvoker(handler, disposeHandler: true), ownsInvoker: true);
    }

    /// <summary>Builds the POST of a chat body to <c>{base_url}/{path}</c> with the step's key.</summary>
    public HttpRequestMessage CreatePost(RouteStep step, string path, ReadOnlyMemory<byte> body)
    {
        var provider = step.Provider;
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint(provider.BaseUrl, path))
        {
            Content = new ReadOnlyMemoryContent(body),
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
        };
        request.Content.Headers.ContentType = JsonContentType;
        ApplyAuth(request, provider.Auth, step.Key.Value);
        foreach (var header in provider.Headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return request;
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _invoker.SendAsync(request, cancellationToken);

    public void Dispose()
    {
        if (_ownsInvoker)
        {
            _invoker.Dispose();
        }
    }

    private static void ApplyAuth(HttpRequestMessage request, AuthStyle style, Secret key)
    {
        switch (style)
        {
            case AuthStyle.Bearer:
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key.Reveal());
                break;
            case AuthStyle.XApiKey:
                request.Headers.TryAddWithoutValidation("x-api-key", key.Reveal());
                break;
            case AuthStyle.XGoogApiKey:
                request.Headers.TryAddWithoutValidation("x-goog-api-key", key.Reveal());
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(style), style, null);
        }
    }

    private Uri Endpoint(Uri baseUrl, string path) =>
        _endpoints.GetOrAdd(
            (baseUrl.AbsoluteUri, path),
            static k => new Uri(k.BaseUrl.TrimEnd('/') + "/" + k.Path.TrimStart('/'), UriKind.Absolute));
}
