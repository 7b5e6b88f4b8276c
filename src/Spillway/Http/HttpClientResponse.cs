using System.Buffers;
using Spillway.Core.Codecs;

namespace Spillway.Http;

/// <summary>The engine's view of an ASP.NET Core response: headers until started, then the body pipe.</summary>
internal sealed class HttpClientResponse(HttpResponse response) : IClientResponse
{
    public bool HasStarted => response.HasStarted;

    public IBufferWriter<byte> Body => response.BodyWriter;

    public void SetHeader(string name, string value) => response.Headers[name] = HeaderValues.Safe(value);

    public async ValueTask StartAsync(int status, string contentType, long? contentLength, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = contentType;

        // With its length a whole answer is not chunked: no closing chunk waits for the request delegate to end.
        response.ContentLength = contentLength;
        if (contentType.StartsWith("text/event-stream", StringComparison.Ordinal))
        {
            response.Headers.CacheControl = "no-cache";
            // Tells nginx-style proxies in front of Spillway not to buffer the stream.
            response.Headers["X-Accel-Buffering"] = "no";
        }

        await response.StartAsync(cancellationToken);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken) =>
        await response.BodyWriter.FlushAsync(cancellationToken);
}
