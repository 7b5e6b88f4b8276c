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
    /// <param name="status">The status code.</param>
    /// <param name="contentType">The body's media type.</param>
    /// <param name="contentLength">
    /// For a whole answer (served or an error), its body's exact length, all written before the next flush: the client
    /// has the answer at that flush, not only once the response ends (what follows it, the ledger entry and the
    /// metrics, is not in the client's wait). Null for a stream, sent as it comes.
    /// </param>
    /// <param name="cancellationToken">Cancels the send.</param>
    ValueTask StartAsync(int status, string contentType, long? contentLength, CancellationToken cancellationToken);

    /// <summary>Where body bytes go once started.</summary>
    IBufferWriter<byte> Body { get; }

    ValueTask FlushAsync(CancellationToken cancellationToken);
}
