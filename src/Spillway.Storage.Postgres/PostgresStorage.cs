using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Spillway.Storage.Postgres;

/// <summary>
/// The PostgreSQL storage of a scale-out deployment: one pooled data source and the stores over it (ledger, key
/// vault, clients, catalog, stored responses), every instance pointed at the same database sharing them.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Create"/> it from a connection string, call <see cref="InitializeAsync"/> once at start (the versioned
/// migrations, safe when several instances start at once), and dispose it at shutdown (it closes the pool). The
/// stores do not own the data source.
/// </para>
/// <para>
/// The data source is built with <see cref="NpgsqlSlimDataSourceBuilder"/> (arrays on), which needs no reflection: the
/// Native AOT binary stays trim-clean. <see cref="Target"/> names the server and database for logs and errors; the
/// connection string (and its password) is never logged.
/// </para>
/// </remarks>
public sealed class PostgresStorage : IAsyncDisposable
{
    /// <summary>How many statements each pooled connection keeps prepared (Npgsql's <c>Max Auto Prepare</c>): more than
    /// the stores run often.</summary>
    internal const int AutoPreparedStatements = 32;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresSchema _schema;

    private PostgresStorage(NpgsqlDataSource dataSource, ILogger logger, string target)
    {
        _dataSource = dataSource;
        Target = target;
        _schema = new PostgresSchema(dataSource, logger, target);
        Ledger = new PostgresLedgerStore(dataSource, _schema);
        KeyVault = new PostgresKeyVaultStore(dataSource, _schema);
        Clients = new PostgresClientStore(dataSource, _schema);
        Catalog = new PostgresCatalogStore(dataSource, _schema);
        Responses = new PostgresResponseStore(dataSource, _schema);
    }

    /// <summary>The pool the stores share (tests look at its connections' sessions).</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>The server and database, <c>user@host:port/database</c>: safe to log (no password).</summary>
    public string Target { get; }

    /// <summary>The ledger (<c>ILedgerStore</c>, <c>ILedgerUsage</c>, <c>IClientSpendHistory</c>).</summary>
    public PostgresLedgerStore Ledger { get; }

    /// <summary>The sealed provider keys (<c>IKeyVaultStore</c>).</summary>
    public PostgresKeyVaultStore KeyVault { get; }

    /// <summary>The stored clients (<c>IClientStore</c>).</summary>
    public PostgresClientStore Clients { get; }

    /// <summary>The catalog snapshots (<c>ICatalogStore</c>).</summary>
    public PostgresCatalogStore Catalog { get; }

    /// <summary>The stored Responses API answers (<c>IResponseStore</c>).</summary>
    public PostgresResponseStore Responses { get; }

    /// <summary>Builds the data source and the stores; connects to nothing yet.</summary>
    /// <param name="connectionString">An Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>).</param>
    /// <param name="loggerFactory">For Npgsql's own logs and the migration log line; none when null.</param>
    /// <exception cref="ArgumentException">The connection string cannot be parsed (the message does not repeat it).</exception>
    public static PostgresStorage Create(string connectionString, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // Npgsql's messages name the keyword, not the value; still, never pass the string on.
            throw new ArgumentException($"The PostgreSQL connection string is not valid: {e.Message}", nameof(connectionString));
        }

        var builder = new NpgsqlSlimDataSourceBuilder(connectionString);
        builder.EnableArrays();
        if (parsed.MaxAutoPrepare == 0)
        {
            // Statements run again and again (the ledger's batch insert above all) are prepared on each pooled
            // connection after a few runs, so PostgreSQL parses and plans them once per connection, not per batch.
            // A connection string that sets its own figure keeps it.
            builder.ConnectionStringBuilder.MaxAutoPrepare = AutoPreparedStatements;
        }

        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        var logger = loggerFactory?.CreateLogger<PostgresStorage>() ?? (ILogger)NullLogger.Instance;
        return new PostgresStorage(builder.Build(), logger, Describe(parsed));
    }

    /// <summary>Creates or migrates the tables of every store (see <see cref="PostgresSchema"/>).</summary>
    /// <exception cref="InvalidOperationException">The database was migrated by a newer version of Spillway.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken) =>
        await Ledger.InitializeAsync(cancellationToken);

    /// <summary>
    /// A health check: true when the server answers <c>SELECT 1</c> on a pooled connection, false when it cannot be
    /// reached or refuses (bound by the connection string's timeouts and <paramref name="cancellationToken"/>).
    /// </summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT 1;");
            return await command.ExecuteScalarAsync(cancellationToken) is 1;
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Closes the pool's connections.</summary>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static string Describe(NpgsqlConnectionStringBuilder parsed) => string.Create(
        CultureInfo.InvariantCulture,
        $"{parsed.Username ?? "(default user)"}@{parsed.Host ?? "localhost"}:{parsed.Port}/{parsed.Database ?? parsed.Username ?? "(default database)"}");
}
