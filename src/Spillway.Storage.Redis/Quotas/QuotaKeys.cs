using Spillway.Core.KeyState;
using StackExchange.Redis;

namespace Spillway.Storage.Redis.Quotas;

/// <summary>
/// The Redis keys of one quota scope, under the connection's prefix: <c>quota:{key|model}:rpm</c>, <c>…:tpm</c>,
/// <c>…:tpm:amt</c>, <c>…:state</c> (every other figure of the scope, <see cref="QuotaScripts"/>), and the shared
/// index <c>quota:scopes</c>. The braces keep a scope's keys in one hash slot.
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
            connection.Key(root + "state"),
            connection.Key(IndexName),
        ];
        Windows = All[..4];
        Settlement = [All[1], All[2], All[3]];
        IndexEntry = scope.KeyId + "\n" + scope.Model;
    }

    /// <summary>The five keys the scripts take, in <see cref="QuotaScripts"/>' order.</summary>
    public RedisKey[] All { get; }

    /// <summary>The first four: the minute windows and the state (release).</summary>
    public RedisKey[] Windows { get; }

    /// <summary>What a settlement takes: tpm, tpm amounts, state.</summary>
    public RedisKey[] Settlement { get; }

    /// <summary>The scope's state hash.</summary>
    public RedisKey State => All[3];

    /// <summary>The scope as the index lists it.</summary>
    public string IndexEntry { get; }

    public static QuotaScope FromIndexEntry(string entry)
    {
        var cut = entry.IndexOf('\n', StringComparison.Ordinal);
        return cut < 0 ? new QuotaScope(entry, string.Empty) : new QuotaScope(entry[..cut], entry[(cut + 1)..]);
    }
}
