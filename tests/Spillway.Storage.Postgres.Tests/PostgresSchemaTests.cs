using Npgsql;
using Spillway.Core.Ledger;
using Spillway.TestSupport.Ledger;

namespace Spillway.Storage.Postgres.Tests;

public sealed class PostgresSchemaTests(PostgresServerFixture fixture) : PostgresTest(fixture)
{
    [Fact]
    public async Task MigrateAsync_SeveralInstancesAtOnce_AllSucceedAndTheSchemaIsMadeOnce()
    {
        var sources = Enumerable.Range(0, 8).Select(_ => NpgsqlDataSource.Create(ConnectionString)).ToList();
        try
        {
            using var start = new ManualResetEventSlim();
            var migrations = sources.Select(source => Task.Run(async () =>
            {
                start.Wait();
                return await PostgresSchema.MigrateAsync(source, PostgresSchema.CurrentVersion, CancellationToken.None);
            })).ToList();
            start.Set();

            var applied = await Task.WhenAll(migrations);

            // Every step applied by exactly one of them; the others found the schema current.
            Assert.Equal(Enumerable.Range(1, PostgresSchema.CurrentVersion), applied.SelectMany(a => a).Order());
            Assert.Single(applied, a => a.Count > 0);
        }
        finally
        {
            foreach (var source in sources)
            {
                await source.DisposeAsync();
            }
        }

        Assert.Equal(
            Enumerable.Range(1, PostgresSchema.CurrentVersion),
            await QueryAsync($"SELECT version FROM {PostgresSchema.VersionTable} ORDER BY version;", r => r.GetInt32(0)));
    }

    [Fact]
    public async Task InitializeAsync_SeveralStoragesAtOnce_AllSucceed()
    {
        var storages = Enumerable.Range(0, 6).Select(_ => Create()).ToList();

        await Task.WhenAll(storages.Select(s => Task.Run(() => s.InitializeAsync(CancellationToken.None))));

        await storages[^1].Ledger.AppendAsync([LedgerEntryFactory.Full("a")], CancellationToken.None);
        Assert.Equal("a", Assert.Single(await storages[0].Ledger.ListRecentAsync(10, CancellationToken.None)).Id);
    }

    [Fact]
    public async Task InitializeAsync_NewDatabase_CreatesEveryStoresTables()
    {
        await OpenAsync();

        var tables = await QueryAsync(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name COLLATE \"C\";",
            r => r.GetString(0));

        Assert.Equal(["attempts", "catalog_snapshots", "clients", "requests", PostgresSchema.VersionTable, "stored_responses", "vault_keys"], tables);
    }

    [Fact]
    public async Task InitializeAsync_AVersion1Database_GainsStoredResponsesAndKeepsItsRows()
    {
        await using (var source = NpgsqlDataSource.Create(ConnectionString))
        {
            Assert.Equal([1], await PostgresSchema.MigrateAsync(source, 1, CancellationToken.None));
        }

        await ExecuteAsync("INSERT INTO clients (id, key_sha256, allow_paid, models, no_train, created_unix_ms) VALUES ('a', 'h', true, '{}', false, 0);");

        var storage = await OpenAsync();

        Assert.Equal(["a"], await QueryAsync("SELECT id FROM clients;", r => r.GetString(0)));
        Assert.Equal([PostgresSchema.CurrentVersion], await QueryAsync($"SELECT MAX(version) FROM {PostgresSchema.VersionTable};", r => r.GetInt32(0)));
        Assert.Null(await storage.Responses.FindAsync("resp_1", "a", DateTimeOffset.MinValue, CancellationToken.None));
    }

    [Fact]
    public async Task InitializeAsync_AgainAndFromAnotherInstance_ChangesNothing()
    {
        var first = await OpenAsync();
        await first.Ledger.AppendAsync([LedgerEntryFactory.Full("kept")], CancellationToken.None);

        await first.InitializeAsync(CancellationToken.None);
        var second = await OpenAsync();

        Assert.Equal("kept", Assert.Single(await second.Ledger.ListRecentAsync(10, CancellationToken.None)).Id);
        Assert.Equal([PostgresSchema.CurrentVersion], await QueryAsync($"SELECT MAX(version) FROM {PostgresSchema.VersionTable};", r => r.GetInt32(0)));
    }

    [Fact]
    public async Task InitializeAsync_NewerSchemaVersion_RefusesIt()
    {
        await OpenAsync();
        await ExecuteAsync($"INSERT INTO {PostgresSchema.VersionTable} (version) VALUES (99);");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Create().InitializeAsync(CancellationToken.None));

        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientStore_BeforeInitialize_MigratesOnFirstUse()
    {
        var storage = Create();

        Assert.Empty(await storage.Clients.ListAsync(CancellationToken.None));

        Assert.Equal([PostgresSchema.CurrentVersion], await QueryAsync($"SELECT MAX(version) FROM {PostgresSchema.VersionTable};", r => r.GetInt32(0)));
    }
}
