using System.Globalization;
using StackExchange.Redis;

namespace Spillway.Storage.Redis.Budgets;

/// <summary>
/// The Redis keys of one client's budget, under the connection's prefix: <c>budget:{client}:day:2026-11-27</c>,
/// <c>…:month:2026-11</c>, <c>…:holds</c>, <c>…:holds:amt</c> and <c>…:seeded:2026-11</c>. The braces keep a
/// client's keys in one hash slot.
/// </summary>
internal static class BudgetKeys
{
    /// <summary>Today's spend, this month's, the holds and their amounts, in <see cref="BudgetScripts"/>' order.</summary>
    public static RedisKey[] Of(RedisConnection connection, string clientId, DateTimeOffset now)
    {
        var root = Root(clientId);
        var day = now.UtcDateTime;
        return
        [
            connection.Key(root + "day:" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            connection.Key(root + "month:" + day.ToString("yyyy-MM", CultureInfo.InvariantCulture)),
            connection.Key(root + "holds"),
            connection.Key(root + "holds:amt"),
        ];
    }

    /// <summary>The mark that this month's spend was seeded from a ledger.</summary>
    public static RedisKey Seeded(RedisConnection connection, string clientId, DateTimeOffset now) =>
        connection.Key(Root(clientId) + "seeded:" + now.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture));

    private static string Root(string clientId) => "budget:{" + clientId + "}:";
}
