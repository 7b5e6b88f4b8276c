using Microsoft.Extensions.Logging;
using Npgsql;
using Spillway.TestSupport.Servers;
using Spillway.TestSupport.Ledger;

namespace Spillway.Storage.Postgres.Tests;

public sealed class PostgresStorageTests(PostgresServerFixture fixture) : PostgresTest(fixture)
{
    private const string Password = "hunter2-not-to-be-logged";

    [Fact]
    public async Task PingAsync_RunningServer_True()
    {
        Assert.True(await Create().PingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task PingAsync_NothingListening_False()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(ConnectionString) { Port = LoopbackPort.Free(), Timeout = 2 };

        Assert.False(await Create(unreachable.ConnectionString).PingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task InitializeAsync_WithALoggerAndAPassword_LogsTheTargetButNeverThePassword()
    {
        // Trust authentication on the test server: the password is sent nowhere it matters, but must not be logged.
        var withPassword = new NpgsqlConnectionStringBuilder(ConnectionString) { Password = Password };
        using var logs = new ListLoggerFactory();
        await using var storage = PostgresStorage.Create(withPassword.ConnectionString, logs);

        await storage.InitializeAsync(CancellationToken.None);
        await storage.Ledger.AppendAsync([LedgerEntryFactory.Full("a")], CancellationToken.None);

        Assert.Equal($"postgres@127.0.0.1:{Server.Port}/{withPassword.Database}", storage.Target);
        Assert.Contains(logs.Lines, line => line.Contains(storage.Target, StringComparison.Ordinal) && line.Contains("migrated", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task LedgerAppend_RunAgainAndAgain_IsPreparedOnItsConnection()
    {
        var storage = Create();
        await storage.InitializeAsync(CancellationToken.None);

        // One after another, so every batch takes the pool's one idle connection, and so does the look below.
        for (var i = 0; i < 10; i++)
        {
            await storage.Ledger.AppendAsync([LedgerEntryFactory.Full("e" + i)], CancellationToken.None);
        }

        await using var connection = await storage.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%INSERT INTO attempts%';", connection);
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Create_ConnectionStringWithItsOwnAutoPrepare_KeepsIt()
    {
        var own = new NpgsqlConnectionStringBuilder(ConnectionString) { MaxAutoPrepare = 3 };
        var defaulted = Create();
        await using var storage = PostgresStorage.Create(own.ConnectionString);

        Assert.Equal(3, new NpgsqlConnectionStringBuilder(storage.DataSource.ConnectionString).MaxAutoPrepare);
        Assert.Equal(
            PostgresStorage.AutoPreparedStatements,
            new NpgsqlConnectionStringBuilder(defaulted.DataSource.ConnectionString).MaxAutoPrepare);
    }

    [Fact]
    public void Create_UnparsableConnectionString_FailsWithoutRepeatingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => PostgresStorage.Create($"Host=db;Password={Password};Bogus=1"));

        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
        Assert.Contains("not valid", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Every log line of every category, formatted, at every level.</summary>
    private sealed class ListLoggerFactory : ILoggerFactory, ILogger
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public IReadOnlyCollection<string> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue(formatter(state, exception) + " " + exception);

        public void Dispose()
        {
        }
    }
}
