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
    /// Publishes <paramref name="change"/>; null when no Redis is configured, else whether Redis took it. Never
    /// throws for Redis: the change is stored already, and the instances read it anyway.
    /// </summary>
    public static async Task<bool?> TellAsync(StorageConfig storage, StoredChange change)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (storage.Redis?.Reveal() is not { } configuration)
        {
            return null;
        }

        // An unreachable Redis costs the client library's connect timeout (5 s) once, then the command ends.
        await using var connection = await RedisConnection.ConnectAsync(configuration, NullLogger.Instance);
        if (!connection.IsAvailable)
        {
            return false;
        }

        await using var changes = new RedisChangeNotifications(connection, NullLogger.Instance);
        return await changes.PublishAsync(change);
    }

    /// <summary>The line a command prints after <see cref="TellAsync"/>.</summary>
    public static string? Line(bool? told, StorageConfig storage) => told switch
    {
        true => $"Told the instances on Redis ({StorageConfig.RedisTarget(storage.Redis!.Reveal())}).",
        false => "Could not reach Redis to tell the running instances; they read the change at their next periodic check.",
        null => null,
    };
}
