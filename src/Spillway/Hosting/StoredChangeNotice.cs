using Microsoft.Extensions.Logging.Abstractions;
using Spillway.Core.Configuration;
using Spillway.Storage.Redis;

namespace Spillway.Hosting;

/// <summary>
/// What a record command does after it changed the stored clients or keys: tells the running instances on the
/// shared Redis, so they reload at once instead of at their next periodic read.
/// </summary>
internal static class StoredChangeNotice
{
    /// <summary>
    /// Publishes <paramref name="change"/> when a Redis is configured and says on <paramref name="output"/> whether
    /// Redis took it (nothing without one). Never throws for Redis: the change is stored already, and the instances
    /// read it anyway at their next periodic check.
    /// </summary>
    public static async Task TellAsync(StorageConfig storage, StoredChange change, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(output);
        if (storage.Redis?.Reveal() is not { } configuration)
        {
            return;
        }

        await output.WriteLineAsync(await PublishAsync(configuration, change)
            ? $"Told the instances on Redis ({StorageConfig.RedisTarget(configuration)})."
            : "Could not reach Redis to tell the running instances; they read the change at their next periodic check.");
    }

    private static async Task<bool> PublishAsync(string configuration, StoredChange change)
    {
        // An unreachable Redis costs the client library's connect timeout (5 s) once, then the command ends.
        await using var connection = await RedisConnection.ConnectAsync(configuration, NullLogger.Instance);
        if (!connection.IsAvailable)
        {
            return false;
        }

        await using var changes = new RedisChangeNotifications(connection, NullLogger.Instance);
        return await changes.PublishAsync(change);
    }
}
