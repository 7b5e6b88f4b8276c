using Microsoft.Data.Sqlite;
using Spillway.Core.Chat;
using Spillway.Core.Ledger;
using Spillway.TestSupport;
using Spillway.TestSupport.Ledger;

namespace Spillway.Storage.Sqlite.Tests;

/// <summary>A ledger file written by an older Spillway is upgraded in place when the store opens it.</summary>
public sealed class SqliteLedgerMigrationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task InitializeAsync_VersionOneFile_UpgradedInPlaceKeepingItsRows()
    {
        var path = Path.Combine(_directory.Path, SqliteLedgerStore.FileName);
        await using (var v1 = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await v1.OpenAsync();
            await SqliteLedgerSchema.MigrateAsync(v1, 1, CancellationToken.None);
            await using var insert = v1.CreateCommand();
            insert.CommandText =
                "INSERT INTO requests (id, time_unix_ms, day, client_format, model, route, status, stream, " +
                "input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, cost_usd, saved_usd, latency_ms) " +
                "VALUES ('old', 1740830400000, '2025-03-01', 'openai', 'fast', 'groq/m', 200, 0, 100, 20, 10, 0, '0', '0.0012', 5.0);";
            await insert.ExecuteNonQueryAsync();
        }

        using var store = new SqliteLedgerStore(_directory.Path);
        await store.InitializeAsync(CancellationToken.None);
        var fresh = LedgerEntryFactory.Full("new", LedgerEntryFactory.BaseTime.AddSeconds(1));
        await store.AppendAsync([fresh], CancellationToken.None);
        var read = await store.ListRecentAsync(10, CancellationToken.None);

        Assert.Equal(["new", "old"], read.Select(e => e.Id));
        LedgerEntryFactory.AssertSame(fresh, read[0]);
        Assert.Equal(new TokenUsage(100, 20, 10, 0), read[1].Usage);
        Assert.Equal(0.0012m, read[1].SavedUsd);
        await using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        await check.OpenAsync();
        Assert.Equal(2, await SqliteLedgerSchema.ReadVersionAsync(check, null, CancellationToken.None));
    }
}
