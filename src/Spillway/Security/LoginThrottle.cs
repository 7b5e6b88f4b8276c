using System.Collections.Concurrent;
using System.Net;

namespace Spillway.Security;

/// <summary>
/// Slows guessing of the admin token at the dashboard's login: after <see cref="MaxFailures"/> wrong tokens from one
/// address within <see cref="Window"/>, further tries from it are refused until the window has passed.
/// </summary>
internal sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<IPAddress, Failures> _failures = new();

    /// <summary>True when <paramref name="address"/> may try now.</summary>
    public bool MayTry(IPAddress? address) =>
        address is null || !_failures.TryGetValue(address, out var failures) || !failures.Blocks(time.GetUtcNow());

    public void Fail(IPAddress? address)
    {
        if (address is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        _failures.AddOrUpdate(address, _ => new Failures(1, now), (_, old) => old.Since + Window <= now ? new Failures(1, now) : old with { Count = old.Count + 1 });
    }

    public void Succeed(IPAddress? address)
    {
        if (address is not null)
        {
            _failures.TryRemove(address, out _);
        }
    }

    private sealed record Failures(int Count, DateTimeOffset Since)
    {
        public bool Blocks(DateTimeOffset now) => Count >= MaxFailures && now < Since + Window;
    }
}
