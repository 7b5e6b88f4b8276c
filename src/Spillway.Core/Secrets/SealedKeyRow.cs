using System.Data.Common;
using Spillway.Core.Providers;

namespace Spillway.Core.Secrets;

/// <summary>
/// One stored key as a database row, the same in every key vault store (SQLite, PostgreSQL): the columns in
/// <see cref="Columns"/> order, read back into a <see cref="SealedKey"/>.
/// </summary>
public static class SealedKeyRow
{
    /// <summary>The columns of a vault row, in the order <see cref="Read"/> expects them.</summary>
    public const string Columns =
        "id, provider, tier, rpm, rpd, tpm, tpd, last4, master_key_id, nonce, ciphertext, tag, added_unix_ms, rotated_unix_ms";

    /// <summary>The key at the reader's current row.</summary>
    /// <exception cref="KeyVaultException">The row names a tier this version does not know.</exception>
    public static SealedKey Read(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var id = reader.GetString(0);
        var tier = reader.GetString(2) switch
        {
            "free" => KeyTier.Free,
            "paid" => KeyTier.Paid,
            var other => throw new KeyVaultException($"stored key '{id}' has an unknown tier '{other}'"),
        };
        var limits = new KeyLimits(
            reader.IsDBNull(3) ? null : reader.GetInt32(3),
            reader.IsDBNull(4) ? null : reader.GetInt32(4),
            reader.IsDBNull(5) ? null : reader.GetInt64(5),
            reader.IsDBNull(6) ? null : reader.GetInt64(6));
        var info = new StoredKeyInfo(
            id,
            reader.GetString(1),
            tier,
            limits,
            reader.GetString(7),
            reader.GetString(8),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(12)),
            reader.IsDBNull(13) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(13)));
        return new SealedKey(info, new SealedSecret((byte[])reader.GetValue(9), (byte[])reader.GetValue(10), (byte[])reader.GetValue(11)));
    }
}
