using Spillway.Core.KeyState;
using StackExchange.Redis;

namespace Spillway.Storage.Redis.Quotas;

/// <summary>
/// The Redis keys of one quota scope, under the connection's prefix: <c>quota:{key|model}:rpm</c>, <c>…:tpm</c>,
/// <c>…:tpm:amt</c>, <c>…:rpd</c>, <c>…:tpd</c>, <c>…:stated:rpm</c> (and rpd, tpm, tpd), <c>…:learned</c>, and the
/// shared index <c>quota:scopes</c>. The braces keep a scope's keys in one hash slot.
/// </summary>
internal static class QuotaKeys
{
    public const string IndexName = "quota:scopes";

    /// <summary>The eleven keys the scripts take, in <see cref="QuotaScripts"/>' order.</summary>
    public static RedisKey[] Of(RedisConnection connection, QuotaScope scope)
    {
        var root = "quota:{" + scope.KeyId + "|" + scope.Model + "}:";
        return
        [
            connection.Key(root + "rpm"),
            connection.Key(root + "tpm"),
            connection.Key(root + "tpm:amt"),
            connection.Key(root + "rpd"),
            connection.Key(root + "tpd"),
            connection.Key(root + "stated:rpm"),
            connection.Key(root + "stated:rpd"),
            connection.Key(root + "stated:tpm"),
            connection.Key(root + "stated:tpd"),
            connection.Key(root + "learned"),
            connection.Key(IndexName),
        ];
    }

    /// <summary>The scope as the index lists it.</summary>
    public static string IndexEntry(QuotaScope scope) => scope.KeyId + "\n" + scope.Model;

    public static QuotaScope FromIndexEntry(string entry)
    {
        var cut = entry.IndexOf('\n', StringComparison.Ordinal);
        return cut < 0 ? new QuotaScope(entry, string.Empty) : new QuotaScope(entry[..cut], entry[(cut + 1)..]);
    }
}
