using System.Buffers;

namespace Spillway.Core.Codecs;

/// <summary>
/// The client's side of a response as the engine sees it; the web layer implements it over the HTTP response.
/// Nothing is sent before <see cref="StartAsync"/>: until then the engine may still fall back.
/// </summary>
public interface IClientResponse
{
    bool HasStarted { get; }

    /// <summary>Sets a response header; only before <see cref="StartAsync"/>.</summary>
    void SetHeader(string name, string value);

    /// <summary>Sends the status line and headers.</summary>
    ValueTask StartAsync(int status, string contentType, CancellationToken cancellationToken);

    /// <summary>
    /// Sends the status line and headers of an answer whose whole body, exactly <paramref name="contentLength"/>
    /// bytes, is written before the next flush: the client has the answer at that flush, not only once the response
    /// ends (what comes after it, the ledger entry and the metrics, is no longer in the client's wait).
    /// </summary>
    ValueTask StartAsync(int status, string contentType, long contentLength, CancellationToken cancellationToken);

    /// <summary>Where body bytes go once started.</summary>
    IBufferWriter<byte> Body { get; }

    ValueTask FlushAsync(CancellationToken cancellationToken);
}
