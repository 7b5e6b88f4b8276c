using Spillway.Core.KeyState;
using StackExchange.Redis;

namespace Spillway.Storage.Redis.Quotas;

/// <summary>
/// The Redis keys of one quota scope, under the connection's prefix: <c>quota:{key|model}:rpm</c>, <c>…:tpm</c>,
/// <c>…:tpm:amt</c>, <c>…:rpd</c>, <c>…:tpd</c>, <c>…:stated:rpm</c> (and rpd, tpm, tpd), <c>…:learned</c>, and the
/// shared index <c>quota:scopes</c>. The braces keep a scope's keys in one hash slot.
/// </summary>
/// <remarks>
/// Made once per scope and kept by <see cref="RedisQuotaStore"/>: every admission and settlement passes these arrays,
/// and building them is a dozen strings. The arrays are only read (by StackExchange.Redis as well).
/// </remarks>
internal sealed class QuotaKeys
{
    public const string IndexName = "quota:scopes";

    public QuotaKeys(RedisConnection connection, QuotaScope scope)
    {
        var root = "quota:{" + scope.KeyId + "|" + scope.Model + "}:";
        All =
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
        Windows = All[..9];
        Settlement = [All[1], All[2], All[4], All[7], All[8]];
        IndexEntry = scope.KeyId + "\n" + scope.Model;
    }

    /// <summary>The eleven keys the scripts take, in <see cref="QuotaScripts"/>' order.</summary>
    public RedisKey[] All { get; }

    /// <summary>The first nine: the windows and stated figures (release).</summary>
    public RedisKey[] Windows { get; }

    /// <summary>What a settlement takes: tpm, tpm amounts, tpd, stated tpm, stated tpd.</summary>
    public RedisKey[] Settlement { get; }

    /// <summary>The hash of learned limits.</summary>
    public RedisKey Learned => All[9];

    /// <summary>The scope as the index lists it.</summary>
    public string IndexEntry { get; }

    public static QuotaScope FromIndexEntry(string entry)
    {
        var cut = entry.IndexOf('\n', StringComparison.Ordinal);
        return cut < 0 ? new QuotaScope(entry, string.Empty) : new QuotaScope(entry[..cut], entry[(cut + 1)..]);
    }
}
