using Microsoft.Data.Sqlite;

namespace Spillway.Storage.Sqlite;

/// <summary>The key state's tables in <c>spillway.db</c>, versioned apart from the ledger's in
/// <c>key_state_version</c>: one script per version, the same way as <see cref="SqliteLedgerSchema"/>.</summary>
/// <remarks>Times are Unix milliseconds (UTC). <c>model</c> is empty for what applies to the whole key.</remarks>
internal static class SqliteKeyStateSchema
{
    public static int CurrentVersion => Migrations.Length;

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE key_cooldowns (
            key_id        TEXT    NOT NULL,
            model         TEXT    NOT NULL,
            until_unix_ms INTEGER NOT NULL,
            outcome       TEXT    NOT NULL,
            reason        TEXT    NOT NULL,
            secret_hint   TEXT    NOT NULL,
            PRIMARY KEY (key_id, model)
        ) WITHOUT ROWID;
        CREATE TABLE key_quotas (
            key_id                TEXT    NOT NULL,
            model                 TEXT    NOT NULL,
            measure               TEXT    NOT NULL,
            learned_limit         INTEGER,
            used                  INTEGER NOT NULL,
            window_reset_unix_ms  INTEGER,
            stated_remaining      INTEGER,
            stated_until_unix_ms  INTEGER,
            PRIMARY KEY (key_id, model, measure)
        ) WITHOUT ROWID;
        """,
    ];

    /// <summary>Brings the tables up to <see cref="CurrentVersion"/> (<see cref="SchemaSteps"/>).</summary>
    public static Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        SchemaSteps.MigrateAsync(connection, "key_state_version", Migrations, "key state tables", cancellationToken);
}
