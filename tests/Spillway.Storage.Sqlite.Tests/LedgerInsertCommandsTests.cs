using Microsoft.Data.Sqlite;
using Spillway.Core.Ledger;
using Spillway.TestSupport;
using Spillway.TestSupport.Ledger;

namespace Spillway.Storage.Sqlite.Tests;

/// <summary>The ledger's inserts bind every value themselves: text, numbers and NULL must come back as written.</summary>
public sealed class LedgerInsertCommandsTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly List<SqliteLedgerStore> _stores = [];

    public void Dispose()
    {
        _stores.ForEach(store => store.Dispose());
        _directory.Dispose();
    }

    [Fact]
    public async Task Insert_EmptyStrings_StayEmptyNotNull()
    {
        var store = await OpenAsync();
        var entry = LedgerEntryFactory.Bare("empty") with
        {
            Route = "",
            Error = "",
            ClientId = "",
            Attempts = [new AttemptRecord("groq/m", "", null, "ok", 1, "")],
        };

        await store.AppendAsync([entry], CancellationToken.None);
        var read = Assert.Single(await store.ListRecentAsync(10, CancellationToken.None));

        Assert.Equal("", read.Route);
        Assert.Equal("", read.Error);
        Assert.Equal("", read.ClientId);
        Assert.Equal("", read.Attempts[0].KeyId);
        Assert.Equal("", read.Attempts[0].Detail);
        Assert.Null(read.Attempts[0].Status);
    }

    [Fact]
    public async Task Insert_NonAsciiAndLongText_RoundTripsAndIsStoredAsUtf8()
    {
        var store = await OpenAsync();
        var long1 = string.Concat(Enumerable.Repeat("déjà vu ✓ 😀 ", 200));
        var long2 = new string('x', 5000);
        var entry = LedgerEntryFactory.Full("ünïcode-✓") with { Error = long1, Model = "模型" };
        var second = LedgerEntryFactory.Bare("after") with { Error = long2, Time = LedgerEntryFactory.BaseTime.AddSeconds(1) };

        await store.AppendAsync([entry, second], CancellationToken.None);
        var read = await store.ListRecentAsync(10, CancellationToken.None);

        LedgerEntryFactory.AssertSame(entry, read[1]);
        Assert.Equal(long2, read[0].Error);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, "spillway.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT length(CAST(error AS BLOB)), typeof(error) FROM requests WHERE id = 'ünïcode-✓'";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(long1), reader.GetInt64(0));
        Assert.Equal("text", reader.GetString(1));
    }

    [Fact]
    public async Task Insert_RequiredTextMissing_FailsNamingTheColumn()
    {
        var store = await OpenAsync();
        var entry = LedgerEntryFactory.Bare("no-model") with { Model = null! };

        var failure = await Assert.ThrowsAsync<SqliteException>(async () => await store.AppendAsync([entry], CancellationToken.None));

        Assert.Contains("NOT NULL constraint failed: requests.model", failure.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ListRecentAsync(10, CancellationToken.None));
    }

    [Fact]
    public void ParameterNames_Statement_ListsEachNameOnceInFirstUseOrder()
    {
        var names = LedgerInsertCommands.ParameterNames("INSERT INTO t (a, b) VALUES ($a_1, $b) ON CONFLICT DO UPDATE SET a = $a_1, c = $c2;");

        Assert.Equal(["$a_1", "$b", "$c2"], names);
    }

    private async Task<SqliteLedgerStore> OpenAsync()
    {
        var store = new SqliteLedgerStore(_directory.Path);
        _stores.Add(store);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }
}
