using Microsoft.Data.Sqlite;
using Spillway.Core.Providers;
using Spillway.Core.Secrets;

namespace Spillway.Storage.Sqlite;

/// <summary>
/// The sealed provider keys in <c>spillway.db</c> beside the ledger, in the table of <see cref="SqliteKeyVaultSchema"/>.
/// It holds ciphertext only; <see cref="KeyVault"/> seals and opens. Connections are not pooled: the vault is read
/// once at startup and written by the <c>keys</c> commands. Every connection runs with <c>secure_delete</c>, and a
/// removal or a rotation ends with a WAL checkpoint, so a removed key or a key sealed under a retired master key is
/// overwritten in the file instead of lingering in free pages or the WAL.
/// </summary>
public sealed class SqliteKeyVaultStore : IKeyVaultStore
{
    private const string Columns = SealedKeyRow.Columns;

    // SQLITE_CONSTRAINT: the primary key (the id) is taken.
    private const int ConstraintViolation = 19;

    private readonly VersionedTables _tables;

    /// <summary>Points the store at <c>spillway.db</c> in <paramref name="dataDirectory"/>; nothing is created until a key is added.</summary>
    public SqliteKeyVaultStore(string dataDirectory)
    {
        _tables = new VersionedTables(
            dataDirectory, "key_vault_version", SqliteKeyVaultSchema.Migrations, "key vault table", pooled: false, everyConnection: "PRAGMA secure_delete=ON;");
    }

    public string DatabasePath => _tables.DatabasePath;

    public async Task<IReadOnlyList<SealedKey>> ListAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(DatabasePath))
        {
            return [];
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await ReadAllAsync(connection, null, cancellationToken);
    }

    public async Task<bool> AddAsync(SealedKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await OpenAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO vault_keys ({Columns}) VALUES ($id, $provider, $tier, $rpm, $rpd, $tpm, $tpd, $last4, $master, $nonce, $ciphertext, $tag, $added, $rotated);";
        Bind(insert, key);
        try
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == ConstraintViolation)
        {
            return false;
        }
    }

    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        if (!File.Exists(DatabasePath))
        {
            return false;
        }

        await using var connection = await OpenAsync(cancellationToken);
        int removed;
        await using (var delete = connection.CreateCommand())
        {
            delete.CommandText = "DELETE FROM vault_keys WHERE id = $id;";
            delete.Parameters.AddWithValue("$id", id);
            removed = await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await CheckpointAsync(connection, cancellationToken);
        return removed > 0;
    }

    public async Task<int> RewriteAllAsync(Func<SealedKey, SealedKey> rewrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        if (!File.Exists(DatabasePath))
        {
            return 0;
        }

        await using var connection = await OpenAsync(cancellationToken);
        int count;
        await using (var transaction = connection.BeginTransaction(deferred: false))
        {
            var rows = await ReadAllAsync(connection, transaction, cancellationToken);
            var rewritten = rows.Select(rewrite).ToList();
            await using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = """
                UPDATE vault_keys SET provider = $provider, tier = $tier, rpm = $rpm, rpd = $rpd, tpm = $tpm, tpd = $tpd,
                    last4 = $last4, master_key_id = $master, nonce = $nonce, ciphertext = $ciphertext, tag = $tag,
                    added_unix_ms = $added, rotated_unix_ms = $rotated
                WHERE id = $id;
                """;
            foreach (var row in rewritten)
            {
                update.Parameters.Clear();
                Bind(update, row);
                if (await update.ExecuteNonQueryAsync(cancellationToken) != 1)
                {
                    throw new InvalidOperationException($"The rewrite of stored key '{row.Info.Id}' changed its id.");
                }
            }

            await transaction.CommitAsync(cancellationToken);
            count = rewritten.Count;
        }

        await CheckpointAsync(connection, cancellationToken);
        return count;
    }

    private static void Bind(SqliteCommand command, SealedKey key)
    {
        var info = key.Info;
        command.Parameters.AddWithValue("$id", info.Id);
        command.Parameters.AddWithValue("$provider", info.Provider);
        command.Parameters.AddWithValue("$tier", info.Tier == KeyTier.Free ? "free" : "paid");
        command.Parameters.AddWithValue("$rpm", SqliteLedgerValues.OrNull(info.Limits.Rpm));
        command.Parameters.AddWithValue("$rpd", SqliteLedgerValues.OrNull(info.Limits.Rpd));
        command.Parameters.AddWithValue("$tpm", SqliteLedgerValues.OrNull(info.Limits.Tpm));
        command.Parameters.AddWithValue("$tpd", SqliteLedgerValues.OrNull(info.Limits.Tpd));
        command.Parameters.AddWithValue("$last4", info.Last4);
        command.Parameters.AddWithValue("$master", info.MasterKeyId);
        command.Parameters.AddWithValue("$nonce", key.Secret.Nonce);
        command.Parameters.AddWithValue("$ciphertext", key.Secret.Ciphertext);
        command.Parameters.AddWithValue("$tag", key.Secret.Tag);
        command.Parameters.AddWithValue("$added", info.AddedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$rotated", SqliteLedgerValues.OrNull(info.RotatedAt?.ToUnixTimeMilliseconds()));
    }

    private static async Task<IReadOnlyList<SealedKey>> ReadAllAsync(
        SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = $"SELECT {Columns} FROM vault_keys ORDER BY id;";
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var rows = new List<SealedKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(SealedKeyRow.Read(reader));
        }

        return rows;
    }

    /// <summary>Moves what was just overwritten out of the WAL into the file and empties the WAL; best effort, since a
    /// gateway reading the file at the same moment keeps older frames until its read ends.</summary>
    private static async Task CheckpointAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await checkpoint.ExecuteNonQueryAsync(cancellationToken);
    }

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => _tables.OpenAsync(cancellationToken);
}
