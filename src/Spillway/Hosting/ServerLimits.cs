using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Spillway.Hosting;

/// <summary>
/// Kestrel's limits, set explicitly so a slow or oversized client costs a bounded amount: a connection that
/// trickles its headers or its body, or sits idle, is closed; a request line or header block beyond what any LLM
/// client sends is refused before an endpoint runs (414, 431). The defaults suit a gateway on a network; tests
/// shorten the timeouts.
/// </summary>
internal sealed record ServerLimits
{
    /// <summary>How long a client may take to send its request line and headers (then 408 and the connection closes).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long an idle keep-alive connection (or a new one that sends nothing) is kept open.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The slowest a request body may arrive, after <see cref="MinDataRateGracePeriod"/> (then 408).</summary>
    public double MinRequestBodyBytesPerSecond { get; init; } = 240;

    /// <summary>The slowest a client may read a response while the gateway is waiting to write (then the connection closes).</summary>
    public double MinResponseBytesPerSecond { get; init; } = 240;

    /// <summary>How long a body or a response may run below its minimum rate before the limit applies (more than 1 s).</summary>
    public TimeSpan MinDataRateGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest request line (method, path and query); longer ones get 414.</summary>
    public int MaxRequestLineSize { get; init; } = 8 * 1024;

    /// <summary>The most headers one request may carry (431 beyond).</summary>
    public int MaxRequestHeaderCount { get; init; } = 100;

    /// <summary>The largest header block of one request (431 beyond).</summary>
    public int MaxRequestHeadersTotalSize { get; init; } = 32 * 1024;

    /// <summary>Sets these limits, and the body limit the door enforces, on Kestrel's.</summary>
    public void ApplyTo(KestrelServerLimits limits, long maxRequestBodyBytes)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.MaxRequestBodySize = maxRequestBodyBytes;
        limits.RequestHeadersTimeout = RequestHeadersTimeout;
        limits.KeepAliveTimeout = KeepAliveTimeout;
        limits.MinRequestBodyDataRate = new MinDataRate(MinRequestBodyBytesPerSecond, MinDataRateGracePeriod);
        limits.MinResponseDataRate = new MinDataRate(MinResponseBytesPerSecond, MinDataRateGracePeriod);
        limits.MaxRequestLineSize = MaxRequestLineSize;
        limits.MaxRequestHeaderCount = MaxRequestHeaderCount;
        limits.MaxRequestHeadersTotalSize = MaxRequestHeadersTotalSize;
    }
}
