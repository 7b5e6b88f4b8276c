using Npgsql;
using Spillway.Core.Providers;
using Spillway.Core.Secrets;

namespace Spillway.Storage.Postgres;

/// <summary>
/// The sealed provider keys in PostgreSQL (table <c>vault_keys</c>): ciphertext only, never a key in clear;
/// <see cref="KeyVault"/> seals and opens. Get it from <see cref="PostgresStorage.KeyVault"/>; the tables are migrated
/// on first use.
/// </summary>
/// <remarks>
/// A removed or rewritten row is gone from every query at once, but PostgreSQL keeps the old row version in the
/// table's files (and the WAL) until vacuum reclaims the space, and never overwrites it with zeros: the bytes left
/// behind are ciphertext under a master key, so retire that master key after a rotation.
/// </remarks>
public sealed class PostgresKeyVaultStore : IKeyVaultStore
{
    private const string Columns = SealedKeyRow.Columns;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresSchema _schema;

    internal PostgresKeyVaultStore(NpgsqlDataSource dataSource, PostgresSchema schema)
    {
        _dataSource = dataSource;
        _schema = schema;
    }

    public async Task<IReadOnlyList<SealedKey>> ListAsync(CancellationToken cancellationToken)
    {
        await _schema.EnsureAsync(cancellationToken);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAllAsync(connection, forUpdate: false, cancellationToken);
    }

    public async Task<bool> AddAsync(SealedKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await _schema.EnsureAsync(cancellationToken);
        await using var insert = _dataSource.CreateCommand(
            $"INSERT INTO vault_keys ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (id) DO NOTHING;");
        Bind(insert.Parameters, key);
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await _schema.EnsureAsync(cancellationToken);
        await using var delete = _dataSource.CreateCommand("DELETE FROM vault_keys WHERE id = $1;");
        delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        return await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<int> RewriteAllAsync(Func<SealedKey, SealedKey> rewrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        await _schema.EnsureAsync(cancellationToken);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Writers wait until the rewrite commits (readers do not): a key added meanwhile by another instance cannot
        // stay sealed under the master key being retired.
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE vault_keys IN EXCLUSIVE MODE;", connection))
        {
            await lockTable.ExecuteNonQueryAsync(cancellationToken);
        }

        var rows = await ReadAllAsync(connection, forUpdate: true, cancellationToken);
        var rewritten = rows.Select(rewrite).ToList();
        foreach (var row in rewritten)
        {
            await using var update = new NpgsqlCommand(
                """
                UPDATE vault_keys SET provider = $2, tier = $3, rpm = $4, rpd = $5, tpm = $6, tpd = $7, last4 = $8,
                    master_key_id = $9, nonce = $10, ciphertext = $11, tag = $12, added_unix_ms = $13, rotated_unix_ms = $14
                WHERE id = $1;
                """,
                connection);
            Bind(update.Parameters, row);
            if (await update.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                throw new InvalidOperationException($"The rewrite of stored key '{row.Info.Id}' changed its id.");
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return rewritten.Count;
    }

    private static void Bind(NpgsqlParameterCollection parameters, SealedKey key)
    {
        var info = key.Info;
        parameters.Add(new NpgsqlParameter<string> { TypedValue = info.Id });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = info.Provider });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = info.Tier == KeyTier.Free ? "free" : "paid" });
        parameters.Add(new NpgsqlParameter<int?> { TypedValue = info.Limits.Rpm });
        parameters.Add(new NpgsqlParameter<int?> { TypedValue = info.Limits.Rpd });
        parameters.Add(new NpgsqlParameter<long?> { TypedValue = info.Limits.Tpm });
        parameters.Add(new NpgsqlParameter<long?> { TypedValue = info.Limits.Tpd });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = info.Last4 });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = info.MasterKeyId });
        parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = key.Secret.Nonce });
        parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = key.Secret.Ciphertext });
        parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = key.Secret.Tag });
        parameters.Add(new NpgsqlParameter<long> { TypedValue = info.AddedAt.ToUnixTimeMilliseconds() });
        parameters.Add(new NpgsqlParameter<long?> { TypedValue = info.RotatedAt?.ToUnixTimeMilliseconds() });
    }

    private static async Task<IReadOnlyList<SealedKey>> ReadAllAsync(NpgsqlConnection connection, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(
            $"SELECT {Columns} FROM vault_keys ORDER BY id COLLATE \"C\"{(forUpdate ? " FOR UPDATE" : "")};", connection);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var rows = new List<SealedKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(SealedKeyRow.Read(reader));
        }

        return rows;
    }
}
