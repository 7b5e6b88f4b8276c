
namespace Spillway.Storage.Sqlite;

/// <summary>The key vault's table in <c>spillway.db</c>, versioned apart from the others in <c>key_vault_version</c>:
/// one script per version, the same way as <see cref="SqliteKeyStateSchema"/>.</summary>
/// <remarks>
/// A row holds a provider key sealed with AES-256-GCM (<c>nonce</c>, <c>ciphertext</c>, <c>tag</c>), the id of the
/// master key it is sealed under, and what may be shown: id, provider, tier, limits, last four characters.
/// Times are Unix milliseconds (UTC).
/// </remarks>
internal static class SqliteKeyVaultSchema
{
    public static int CurrentVersion => Migrations.Length;

    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE vault_keys (
            id              TEXT    NOT NULL PRIMARY KEY,
            provider        TEXT    NOT NULL,
            tier            TEXT    NOT NULL,
            rpm             INTEGER,
            rpd             INTEGER,
            tpm             INTEGER,
            tpd             INTEGER,
            last4           TEXT    NOT NULL,
            master_key_id   TEXT    NOT NULL,
            nonce           BLOB    NOT NULL,
            ciphertext      BLOB    NOT NULL,
            tag             BLOB    NOT NULL,
            added_unix_ms   INTEGER NOT NULL,
            rotated_unix_ms INTEGER
        ) WITHOUT ROWID;
        """,
    ];
}
