using Microsoft.Extensions.Logging;
using Npgsql;

namespace Spillway.Storage.Postgres;

/// <summary>
/// The tables of every PostgreSQL store and the versioned migrations that build them, in one version table
/// (<c>spillway_schema_version</c>: one row per version applied). Safe when several instances start at once: the whole
/// migration runs in one transaction under a transaction-level advisory lock, so one instance migrates and the others
/// wait for it, then find the schema current and change nothing.
/// </summary>
/// <remarks>
/// <para>
/// Money is <c>numeric</c>: it round-trips a <see cref="decimal"/> exactly, scale included (<c>0.10</c> stays
/// <c>0.10</c>), and sums exactly in SQL. <c>day</c> (the UTC calendar day) is kept next to the timestamp so spend per
/// day and route is a plain <c>GROUP BY day, route</c> served by an index. Times are Unix milliseconds (UTC), as in
/// the SQLite store. <c>requests.insert_order</c> orders entries of the same millisecond (SQLite's rowid).
/// </para>
/// <para>
/// PostgreSQL's DDL is transactional: a migration that fails leaves the schema as it was.
/// </para>
/// </remarks>
internal sealed class PostgresSchema
{
    /// <summary>The advisory lock every instance takes around the migration ("SPILLWAY" in ASCII).</summary>
    public const long MigrationLock = 0x5350_494C_4C57_4159;

    public const string VersionTable = "spillway_schema_version";

    /// <summary>Scripts by version: <c>Migrations[n - 1]</c> takes a database from version n - 1 to n. Append only.</summary>
    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE requests (
            id                       text             NOT NULL PRIMARY KEY,
            insert_order             bigint           GENERATED ALWAYS AS IDENTITY,
            time_unix_ms             bigint           NOT NULL,
            day                      date             NOT NULL,
            client_format            text             NOT NULL,
            model                    text             NOT NULL,
            route                    text,
            status                   integer          NOT NULL,
            stream                   boolean          NOT NULL,
            input_tokens             bigint,
            output_tokens            bigint,
            cached_input_tokens      bigint,
            reasoning_tokens         bigint,
            cache_write_input_tokens bigint,
            cost_usd                 numeric,
            saved_usd                numeric,
            latency_ms               double precision NOT NULL,
            ttft_ms                  double precision,
            error                    text,
            client_id                text
        );
        CREATE INDEX ix_requests_time ON requests (time_unix_ms DESC, insert_order DESC);
        CREATE INDEX ix_requests_day_route ON requests (day, route);
        CREATE INDEX ix_requests_client_day ON requests (client_id, day) WHERE client_id IS NOT NULL;
        CREATE TABLE attempts (
            request_id text             NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
            seq        integer          NOT NULL,
            route      text             NOT NULL,
            key_id     text,
            status     integer,
            outcome    text             NOT NULL,
            latency_ms double precision NOT NULL,
            detail     text,
            PRIMARY KEY (request_id, seq)
        );
        CREATE TABLE vault_keys (
            id              text    NOT NULL PRIMARY KEY,
            provider        text    NOT NULL,
            tier            text    NOT NULL,
            rpm             integer,
            rpd             integer,
            tpm             bigint,
            tpd             bigint,
            last4           text    NOT NULL,
            master_key_id   text    NOT NULL,
            nonce           bytea   NOT NULL,
            ciphertext      bytea   NOT NULL,
            tag             bytea   NOT NULL,
            added_unix_ms   bigint  NOT NULL,
            rotated_unix_ms bigint
        );
        CREATE TABLE catalog_snapshots (
            source          text   NOT NULL PRIMARY KEY,
            base_url        text   NOT NULL,
            fetched_unix_ms bigint NOT NULL,
            models_json     bytea  NOT NULL
        );
        CREATE TABLE clients (
            id                   text    NOT NULL PRIMARY KEY,
            key_sha256           text    NOT NULL UNIQUE,
            allow_paid           boolean NOT NULL,
            budget_usd_per_day   numeric,
            budget_usd_per_month numeric,
            rpm                  integer,
            models               text[]  NOT NULL,
            no_train             boolean NOT NULL,
            created_unix_ms      bigint  NOT NULL
        );
        """,

        // v2: stored Responses API answers (store: true), per client; the JSON kept as the bytes the client got.
        """
        CREATE TABLE stored_responses (
            client_id        text   NOT NULL,
            id               text   NOT NULL,
            created_unix_ms  bigint NOT NULL,
            response_json    bytea  NOT NULL,
            input_items_json bytea  NOT NULL,
            PRIMARY KEY (client_id, id)
        );
        CREATE INDEX ix_stored_responses_created ON stored_responses (created_unix_ms);
        """,

        // v3: attempts no longer name their request by a foreign key. Checking it took a key-share lock on the request
        // row for every attempt inserted, a quarter of the server's time on the ledger under load, while the ledger's
        // one statement inserts an entry's attempts only together with the entry and the prune deletes both.
        """
        ALTER TABLE attempts DROP CONSTRAINT IF EXISTS attempts_request_id_fkey;
        """,
    ];

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly string _target;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready;

    public PostgresSchema(NpgsqlDataSource dataSource, ILogger logger, string target)
    {
        _dataSource = dataSource;
        _logger = logger;
        _target = target;
    }

    /// <summary>The version this code writes and reads.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Migrates once per process (the first caller does it; later calls return at once).</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
            {
                return;
            }

            var applied = await MigrateAsync(_dataSource, CurrentVersion, cancellationToken);
            if (applied.Count > 0 && _logger.IsEnabled(LogLevel.Information))
            {
                _logger.LogInformation(
                    "PostgreSQL schema of {Target} migrated to version {Version} ({Steps} step(s)).", _target, applied[^1], applied.Count);
            }

            _ready = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Brings the database up to <paramref name="target"/> in one transaction under the advisory lock, and returns the
    /// versions this call applied (none when another instance already had).
    /// </summary>
    /// <exception cref="InvalidOperationException">The database was migrated by a newer version of Spillway.</exception>
    internal static async Task<IReadOnlyList<int>> MigrateAsync(NpgsqlDataSource dataSource, int target, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Held until commit or rollback; a second instance blocks here and then sees the committed schema.
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MigrationLock});", cancellationToken);
        await ExecuteAsync(
            connection,
            $"CREATE TABLE IF NOT EXISTS {VersionTable} (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());",
            cancellationToken);

        var found = await ReadVersionAsync(connection, cancellationToken);
        if (found > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL database has schema version {found}, newer than the {CurrentVersion} this version of Spillway knows.");
        }

        var applied = new List<int>();
        for (var version = found; version < target; version++)
        {
            await ExecuteAsync(connection, Migrations[version], cancellationToken);
            await using var record = new NpgsqlCommand($"INSERT INTO {VersionTable} (version) VALUES ($1);", connection);
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version + 1 });
            await record.ExecuteNonQueryAsync(cancellationToken);
            applied.Add(version + 1);
        }

        await transaction.CommitAsync(cancellationToken);
        return applied;
    }

    /// <summary>The stored version; 0 for a new database.</summary>
    internal static async Task<int> ReadVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT COALESCE(MAX(version), 0) FROM {VersionTable};", connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
