using Microsoft.Data.Sqlite;
using Spillway.Core.KeyState;

namespace Spillway.Storage.Sqlite;

/// <summary>
/// Keeps the key state (cooldowns, quota windows) in <c>spillway.db</c> beside the ledger, in the tables of
/// <see cref="SqliteKeyStateSchema"/>. A save replaces every row in one transaction: the state is a few rows per key,
/// written every few seconds off the hot path. Safe to share between threads (saves are serialized).
/// </summary>
public sealed class SqliteKeyStateArchive : IKeyStateArchive, IDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _saveLock = new(1, 1);

    /// <summary>Points the archive at <c>spillway.db</c> in <paramref name="dataDirectory"/>, creating the directory.</summary>
    public SqliteKeyStateArchive(string dataDirectory)
    {
        DatabasePath = SpillwayDatabase.PathIn(dataDirectory);
        _connectionString = SpillwayDatabase.ConnectionTo(DatabasePath).ToString();
    }

    public string DatabasePath { get; }

    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode=WAL;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await SqliteKeyStateSchema.MigrateAsync(connection, cancellationToken);
    }

    public async Task<KeyStateSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        var cooldowns = new List<SavedCooldown>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT key_id, model, until_unix_ms, outcome, reason, secret_hint FROM key_cooldowns ORDER BY key_id, model;";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var model = reader.GetString(1);
                var cooldown = new KeyCooldown(Time(reader.GetInt64(2)), reader.GetString(3), reader.GetString(4), model.Length == 0 ? null : model);
                cooldowns.Add(new SavedCooldown(reader.GetString(0), cooldown, reader.GetString(5)));
            }
        }

        var quotas = new List<QuotaRecord>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                SELECT key_id, model, measure, learned_limit, used, window_reset_unix_ms, stated_remaining, stated_until_unix_ms
                FROM key_quotas ORDER BY key_id, model, measure;
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (QuotaMeasures.Parse(reader.GetString(2)) is not { } measure)
                {
                    continue;
                }

                quotas.Add(new QuotaRecord(
                    reader.GetString(0),
                    reader.GetString(1),
                    measure,
                    NullableLong(reader, 3),
                    reader.GetInt64(4),
                    NullableLong(reader, 5) is { } reset ? Time(reset) : null,
                    NullableLong(reader, 6),
                    NullableLong(reader, 7) is { } until ? Time(until) : null));
            }
        }

        return new KeyStateSnapshot(cooldowns, quotas);
    }

    public async Task SaveAsync(KeyStateSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await _saveLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using (var clear = connection.CreateCommand())
            {
                clear.Transaction = transaction;
                clear.CommandText = "DELETE FROM key_cooldowns; DELETE FROM key_quotas;";
                await clear.ExecuteNonQueryAsync(cancellationToken);
            }

            await InsertCooldownsAsync(connection, transaction, snapshot.Cooldowns, cancellationToken);
            await InsertQuotasAsync(connection, transaction, snapshot.Quotas, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            _saveLock.Release();
        }
    }

    /// <summary>Closes the pooled connections to the file.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static async Task InsertCooldownsAsync(
        SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<SavedCooldown> cooldowns, CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT OR REPLACE INTO key_cooldowns (key_id, model, until_unix_ms, outcome, reason, secret_hint)
            VALUES ($key, $model, $until, $outcome, $reason, $hint);
            """;
        var key = insert.Parameters.Add("$key", SqliteType.Text);
        var model = insert.Parameters.Add("$model", SqliteType.Text);
        var until = insert.Parameters.Add("$until", SqliteType.Integer);
        var outcome = insert.Parameters.Add("$outcome", SqliteType.Text);
        var reason = insert.Parameters.Add("$reason", SqliteType.Text);
        var hint = insert.Parameters.Add("$hint", SqliteType.Text);
        foreach (var saved in cooldowns)
        {
            key.Value = saved.KeyId;
            model.Value = saved.Cooldown.Model ?? string.Empty;
            until.Value = saved.Cooldown.Until.ToUnixTimeMilliseconds();
            outcome.Value = saved.Cooldown.Outcome;
            reason.Value = saved.Cooldown.Reason;
            hint.Value = saved.SecretHint;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task InsertQuotasAsync(
        SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<QuotaRecord> quotas, CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT OR REPLACE INTO key_quotas
                (key_id, model, measure, learned_limit, used, window_reset_unix_ms, stated_remaining, stated_until_unix_ms)
            VALUES ($key, $model, $measure, $learned, $used, $reset, $stated, $until);
            """;
        var key = insert.Parameters.Add("$key", SqliteType.Text);
        var model = insert.Parameters.Add("$model", SqliteType.Text);
        var measure = insert.Parameters.Add("$measure", SqliteType.Text);
        var learned = insert.Parameters.Add("$learned", SqliteType.Integer);
        var used = insert.Parameters.Add("$used", SqliteType.Integer);
        var reset = insert.Parameters.Add("$reset", SqliteType.Integer);
        var stated = insert.Parameters.Add("$stated", SqliteType.Integer);
        var until = insert.Parameters.Add("$until", SqliteType.Integer);
        foreach (var record in quotas)
        {
            key.Value = record.KeyId;
            model.Value = record.Model;
            measure.Value = record.Measure.Name();
            learned.Value = SqliteLedgerValues.OrNull(record.LearnedLimit);
            used.Value = record.Used;
            reset.Value = SqliteLedgerValues.OrNull(record.WindowResetAt?.ToUnixTimeMilliseconds());
            stated.Value = SqliteLedgerValues.OrNull(record.StatedRemaining);
            until.Value = SqliteLedgerValues.OrNull(record.StatedUntil?.ToUnixTimeMilliseconds());
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    private static long? NullableLong(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
