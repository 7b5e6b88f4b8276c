using System.Data.Common;
using System.Net.Sockets;
using Spillway.Core.Configuration;
using Spillway.Core.Ledger;
using Spillway.Core.Secrets;
using Spillway.Storage.Postgres;
using Spillway.Storage.Sqlite;

namespace Spillway.Hosting;

/// <summary>
/// Where the stored provider keys, the stored clients and the ledger are: PostgreSQL when <c>storage.postgres</c> is
/// configured (one set of records for every instance), else the data folder's SQLite database. <c>serve</c> and the
/// record commands (<c>spillway keys</c>, <c>clients</c>, <c>usage</c>) open them the same way, so what a command
/// stores is what every instance reads.
/// </summary>
internal sealed class RecordStores : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private SqliteLedgerStore? _sqliteLedger;

    private RecordStores(string dataDirectory, PostgresStorage? postgres)
    {
        _dataDirectory = dataDirectory;
        Postgres = postgres;
        KeyVault = postgres is null ? new SqliteKeyVaultStore(dataDirectory) : postgres.KeyVault;
        Clients = postgres is null ? new SqliteClientStore(dataDirectory) : postgres.Clients;
        Place = postgres is null
            ? Path.GetFullPath(Path.Combine(dataDirectory, SqliteLedgerStore.FileName))
            : "PostgreSQL " + postgres.Target;
    }

    /// <summary>The shared PostgreSQL storage; null when the records are in the data folder.</summary>
    public PostgresStorage? Postgres { get; }

    public IKeyVaultStore KeyVault { get; }

    public IClientStore Clients { get; }

    /// <summary>Where the records are, for a person: the SQLite file, or <c>PostgreSQL user@host:port/db</c> (no password).</summary>
    public string Place { get; }

    /// <summary>The line a command prints first: the data folder, and the PostgreSQL records when they are there.</summary>
    public string Line => Postgres is null ? "data: " + _dataDirectory : $"data: {_dataDirectory}; records: {Place}";

    /// <summary>
    /// Opens the records <paramref name="storage"/> names. PostgreSQL is reached (and migrated) now, so a wrong
    /// connection string or a server that is down is one clear error here, not a failure halfway through a command.
    /// </summary>
    /// <exception cref="ConfigException">PostgreSQL cannot be reached, refuses the login, or is of a newer schema.</exception>
    public static async Task<RecordStores> OpenAsync(StorageConfig storage, string dataDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (storage.Postgres?.Reveal() is not { } connectionString)
        {
            return new RecordStores(dataDirectory, null);
        }

        var postgres = PostgresStorage.Create(connectionString);
        try
        {
            await postgres.InitializeAsync(cancellationToken);
            return new RecordStores(dataDirectory, postgres);
        }
        catch (Exception e) when (IsUnreachable(e) || e is InvalidOperationException)
        {
            await postgres.DisposeAsync();

            // Npgsql's messages name the host and the failure, never the password.
            throw new ConfigException($"PostgreSQL {postgres.Target}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    /// <summary>True for the failures of a database that is away or refuses: the caller reports them in one line.</summary>
    public static bool IsUnreachable(Exception exception) => exception is DbException or SocketException or TimeoutException;

    /// <summary>The stored clients; with SQLite and no database file yet, none (and no file is created).</summary>
    public Task<IReadOnlyList<StoredClient>> ListClientsAsync(CancellationToken cancellationToken) => Postgres is null
        ? SqliteClientStore.ListIfAnyAsync(_dataDirectory, cancellationToken)
        : Clients.ListAsync(cancellationToken);

    /// <summary>
    /// The ledger's usage reader; null when the records are SQLite and nothing was served yet (no database file).
    /// The SQLite one is disposed with this object.
    /// </summary>
    public async Task<ILedgerUsage?> OpenUsageAsync(CancellationToken cancellationToken)
    {
        if (Postgres is not null)
        {
            return Postgres.Ledger;
        }

        if (!File.Exists(Place))
        {
            return null;
        }

        _sqliteLedger = new SqliteLedgerStore(_dataDirectory);
        await _sqliteLedger.InitializeAsync(cancellationToken);
        return _sqliteLedger;
    }

    public async ValueTask DisposeAsync()
    {
        _sqliteLedger?.Dispose();
        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
    }
}
