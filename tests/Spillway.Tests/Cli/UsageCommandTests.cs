using Microsoft.Extensions.Time.Testing;
using Spillway.Cli;
using Spillway.Core.Chat;
using Spillway.Core.Configuration;
using Spillway.Core.Ledger;
using Spillway.Storage.Sqlite;
using Spillway.TestSupport;

namespace Spillway.Tests.Cli;

/// <summary><c>spillway usage</c> reads the ledger file and prints spend and savings by day and route.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class UsageCommandTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 7, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _data = new(create: false);

    public void Dispose()
    {
        _data.Dispose();
    }

    [Fact]
    public async Task Usage_LedgerWithPaidAndFreeCalls_TablePerDayAndRouteWithTotals()
    {
        await WriteLedgerAsync(
            Served("a", Now.AddDays(-1), "openai/gpt-4o-mini", 0.000123m, null),
            Served("b", Now, "openai/gpt-4o-mini", 0.0025m, null),
            Served("c", Now, "groq/llama-3.3-70b-versatile", 0m, 0.00195m),
            Served("d", Now, "paid/unpriced", null, null),
            Served("old", Now.AddDays(-10), "openai/gpt-4o-mini", 7m, null));

        var (exit, output, error) = await RunAsync(days: 7);

        Assert.Equal(0, exit);
        Assert.Empty(error);
        var lines = output.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains("since 2026-06-26", output, StringComparison.Ordinal);
        Assert.Single(lines, l => l.Contains("2026-07-01", StringComparison.Ordinal) && l.Contains("openai/gpt-4o-mini", StringComparison.Ordinal) && l.Contains("$0.000123", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("groq/llama-3.3-70b-versatile", StringComparison.Ordinal) && l.Contains("$0.00195", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("paid/unpriced", StringComparison.Ordinal) && l.TrimEnd('│', '|', ' ').EndsWith('1'));
        Assert.Single(lines, l => l.Contains("all routes", StringComparison.Ordinal) && l.Contains("$0.0025", StringComparison.Ordinal));
        var total = Assert.Single(lines, l => l.Contains("Total", StringComparison.Ordinal));
        Assert.Contains("$0.002623", total, StringComparison.Ordinal);
        Assert.Contains("$0.00195", total, StringComparison.Ordinal);
        Assert.DoesNotContain("$7.00", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_Json_StdoutIsJsonWithDaysRoutesAndTotalsAndTheFolderLineOnStderr()
    {
        await WriteLedgerAsync(
            Served("b", Now, "openai/gpt-4o-mini", 0.0025m, null),
            Served("c", Now, "groq/llama-3.3-70b-versatile", 0m, 0.00195m));

        var (exit, output, error) = await RunAsync(days: 7, json: true);

        Assert.Equal(0, exit);
        Assert.Equal("data: " + _data.Path, error.Trim());
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("2026-06-26", root.GetProperty("since").GetString());
        var day = Assert.Single(root.GetProperty("days").EnumerateArray());
        Assert.Equal("2026-07-02", day.GetProperty("day").GetString());
        Assert.Equal(2, day.GetProperty("requests").GetInt64());
        var groq = Assert.Single(day.GetProperty("routes").EnumerateArray(), r => r.GetProperty("route").GetString() == "groq/llama-3.3-70b-versatile");
        Assert.Equal(0.00195m, groq.GetProperty("saved_usd").GetDecimal());
        Assert.Equal(1000, groq.GetProperty("input_tokens").GetInt64());
        var total = root.GetProperty("total");
        Assert.Equal(0.0025m, total.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(0, total.GetProperty("unpriced_requests").GetInt64());
    }

    [Fact]
    public async Task Usage_NoLedgerFile_OneLineAndExitOne()
    {
        var (exit, output, error) = await RunAsync(days: 30);

        Assert.Equal(1, exit);
        Assert.Equal("data: " + _data.Path, output.Trim());
        Assert.Contains(Path.Combine(_data.Path, SqliteLedgerStore.FileName), error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(Path.Combine(_data.Path, SqliteLedgerStore.FileName)));
    }

    [Fact]
    public async Task Cli_UsageSubcommand_ParsesDataAndDays()
    {
        var (exit, _, error) = await CliRun.RunAsync("usage", "--data", _data.Path, "--days", "3");

        Assert.Equal(1, exit);
        Assert.Contains("No ledger at", error, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(int days, bool json = false)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await UsageCommand.RunAsync(new RecordsPlace(_data.Path, StorageConfig.None), days, json, new FakeTimeProvider(Now), output, error, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    private async Task WriteLedgerAsync(params LedgerEntry[] entries)
    {
        using var store = new SqliteLedgerStore(_data.Path);
        await store.InitializeAsync(CancellationToken.None);
        await store.AppendAsync(entries, CancellationToken.None);
    }

    private static LedgerEntry Served(string id, DateTimeOffset time, string route, decimal? cost, decimal? saved) => new()
    {
        Id = id,
        Time = time,
        ClientFormat = "openai",
        Model = route,
        Route = route,
        Status = 200,
        Stream = false,
        Usage = new TokenUsage(1000, 100),
        CostUsd = cost,
        SavedUsd = saved,
        LatencyMs = 10,
    };
}
