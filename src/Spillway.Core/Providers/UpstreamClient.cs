using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Sockets;

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

    /// <summary>The connect timeout the handler applies when a request sets none (only on a handler of <see cref="CreateDefault"/>).</summary>
    private readonly TimeSpan? _defaultConnectTimeout;

    public UpstreamClient(HttpMessageInvoker invoker, bool ownsInvoker = false)
        : this(invoker, ownsInvoker, null)
    {
    }

    private UpstreamClient(HttpMessageInvoker invoker, bool ownsInvoker, TimeSpan? defaultConnectTimeout)
    {
        _invoker = invoker;
        _ownsInvoker = ownsInvoker;
        _defaultConnectTimeout = defaultConnectTimeout;
    }

    /// <summary>The connect timeout of one request (its provider's <c>timeouts.connect_seconds</c>).</summary>
    private static readonly HttpRequestOptionsKey<TimeSpan> ConnectTimeoutOption = new("spillway.connect-timeout");

    /// <summary>A client over a <see cref="SocketsHttpHandler"/> tuned for a gateway: pooled connections that are
    /// recycled (DNS changes), no redirects (credentials must not follow one), no decompression (bytes pass through).
    /// A new connection must be made within the connect timeout of the request that opens it
    /// (<see cref="SetConnectTimeout"/>), else <paramref name="connectTimeout"/>.</summary>
    public static UpstreamClient CreateDefault(TimeSpan connectTimeout)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context, connectTimeout, cancellationToken),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            EnableMultipleHttp2Connections = true,
            MaxResponseHeadersLength = 64,
        };
        return new UpstreamClient(new HttpMessageInvoker(handler, disposeHandler: true), ownsInvoker: true, connectTimeout);
    }

    /// <summary>Sets how long a new connection for <paramref name="request"/> may take to open. The handler's own
    /// default needs no setting: a request that asks for it carries no options (whose dictionary costs every call).</summary>
    public void SetConnectTimeout(HttpRequestMessage request, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (timeout != _defaultConnectTimeout)
        {
            request.Options.Set(ConnectTimeoutOption, timeout);
        }
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

    /// <summary>
    /// Opens a TCP connection as the handler's own does, within the request's connect timeout. A connection that
    /// does not open in time fails with a <see cref="TimeoutException"/>: the route is silent, so it is classified
    /// as a timeout (not retried), not as a refused connection.
    /// </summary>
    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, TimeSpan fallback, CancellationToken cancellationToken)
    {
        var timeout = context.InitialRequestMessage.Options.TryGetValue(ConnectTimeoutOption, out var own) ? own : fallback;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, deadline.Token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"no connection to {context.DnsEndPoint.Host}:{context.DnsEndPoint.Port} within {timeout.TotalSeconds:0.###} s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void ApplyAuth(HttpRequestMessage request, AuthStyle style, Secret key)
    {
        switch (style)
        {
            case AuthStyle.Bearer:
                request.Headers.TryAddWithoutValidation("Authorization", key.RevealAsBearer());
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
