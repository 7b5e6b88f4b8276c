using Spillway.Core.Configuration;
using Spillway.Security;
using Spillway.Storage.Redis;
using Spillway.Storage.Redis.Clients;

namespace Spillway.Hosting;

/// <summary>
/// Client <c>rpm</c> limits counted in Redis for every instance together; while Redis is away each instance counts
/// on its own (<see cref="ClientRateLimits"/>), so a client is never refused for the store's absence.
/// </summary>
internal sealed class SharedClientRateLimits(RedisConnection redis, RedisClientRateLimiter shared, ClientRateLimits local) : IClientRateLimits
{
    public async ValueTask<(bool Admitted, TimeSpan RetryAfter)> TryAcquireAsync(ClientKeyConfig client, CancellationToken cancellationToken)
    {
        if (client.RequestsPerMinute is not { } rpm)
        {
            return (true, TimeSpan.Zero);
        }

        if (redis.IsAvailable)
        {
            try
            {
                return await shared.TryAcquireAsync(client.Id, rpm);
            }
            catch (Exception ex) when (RedisConnection.IsOutage(ex))
            {
                // Fall through to this instance's own count.
            }
        }

        return await local.TryAcquireAsync(client, cancellationToken);
    }
}
