using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Spillway.Core.Configuration;

namespace Spillway.Security;

/// <summary>
/// Each client's <c>rpm</c>: a sliding one-minute window in six ten-second segments per client, so a burst at the
/// end of one minute and the start of the next cannot pass twice the limit. A limiter is kept per client and limit,
/// so a changed config starts a fresh window.
/// </summary>
internal sealed class ClientRateLimits : IClientRateLimits, IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string Client, int Rpm), SlidingWindowRateLimiter> _limiters = new();

    /// <inheritdoc />
    public ValueTask<(bool Admitted, TimeSpan RetryAfter)> TryAcquireAsync(ClientKeyConfig client, CancellationToken cancellationToken) =>
        new((TryAcquire(client, out var retryAfter), retryAfter));

    /// <summary>True when the client may make one more request now; else how long until it may.</summary>
    public bool TryAcquire(ClientKeyConfig client, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (client.RequestsPerMinute is not { } rpm)
        {
            return true;
        }

        var limiter = _limiters.GetOrAdd((client.Id, rpm), static key => new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = key.Rpm,
            Window = Window,
            SegmentsPerWindow = 6,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        using var lease = limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return true;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : Window / 6;
        return false;
    }

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }
}
