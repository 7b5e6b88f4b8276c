using Microsoft.Data.Sqlite;
using Spillway.Core.KeyState;
using Spillway.TestSupport;

namespace Spillway.Storage.Sqlite.Tests;

public sealed class SqliteKeyStateArchiveTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, 123, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task SaveThenLoad_FromANewArchiveOnTheSameFile_RoundTripsEveryField()
    {
        var snapshot = new KeyStateSnapshot(
            [
                new SavedCooldown("groq-1", new KeyCooldown(T0.AddHours(1), "quota_exhausted", "groq: RPD", "llama-3.3-70b"), "abcd"),
                new SavedCooldown("openai-1", new KeyCooldown(T0.AddDays(365), "auth_failed", "rejected", null), "wxyz"),
            ],
            [
                new QuotaRecord("groq-1", "llama-3.3-70b", QuotaMeasure.Rpd, 1000, 17, T0.AddHours(14), 983, T0.AddMinutes(3)),
                new QuotaRecord("openai-1", string.Empty, QuotaMeasure.Tpm, 30_000, 0, null, null, null),
            ]);
        using (var archive = new SqliteKeyStateArchive(_directory.Path))
        {
            await archive.InitializeAsync(CancellationToken.None);
            await archive.SaveAsync(snapshot, CancellationToken.None);
        }

        using var reopened = new SqliteKeyStateArchive(_directory.Path);
        await reopened.InitializeAsync(CancellationToken.None);
        var loaded = await reopened.LoadAsync(CancellationToken.None);

        Assert.True(loaded.SameAs(snapshot));
    }

    [Fact]
    public async Task Save_ReplacesWhatWasKept()
    {
        using var archive = new SqliteKeyStateArchive(_directory.Path);
        await archive.InitializeAsync(CancellationToken.None);
        await archive.SaveAsync(
            new KeyStateSnapshot([new SavedCooldown("k", new KeyCooldown(T0, "rate_limited", "r", null), "1234")], []),
            CancellationToken.None);

        await archive.SaveAsync(KeyStateSnapshot.Empty, CancellationToken.None);

        var loaded = await archive.LoadAsync(CancellationToken.None);
        Assert.Empty(loaded.Cooldowns);
        Assert.Empty(loaded.Quotas);
    }

    [Fact]
    public async Task Initialize_BesideTheLedger_BothSchemasKeepTheirOwnVersion()
    {
        using var ledger = new SqliteLedgerStore(_directory.Path);
        await ledger.InitializeAsync(CancellationToken.None);
        using var archive = new SqliteKeyStateArchive(_directory.Path);

        await archive.InitializeAsync(CancellationToken.None);
        await archive.InitializeAsync(CancellationToken.None);

        await using var connection = new SqliteConnection($"Data Source={archive.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        Assert.Equal(SqliteKeyStateSchema.CurrentVersion, await SchemaSteps.ReadVersionAsync(connection, null, "key_state_version", CancellationToken.None));
        Assert.Equal(SqliteLedgerSchema.CurrentVersion, await SqliteLedgerSchema.ReadVersionAsync(connection, null, CancellationToken.None));
    }

    public void Dispose() => _directory.Dispose();
}
