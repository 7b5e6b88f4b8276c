using System.CommandLine;
using System.Globalization;
using Spillway.Core.Ledger;
using Spillway.Storage.Sqlite;

namespace Spillway.Cli;

/// <summary><c>spillway usage [--data DIR] [--days N]</c>: spend and savings by day and route, read from the ledger.</summary>
internal static class UsageCommand
{
    public static Command Create(TimeProvider time)
    {
        var data = new Option<string>("--data")
        {
            Description = "The folder of the embedded SQLite database.",
            DefaultValueFactory = _ => ".spillway",
        };
        var days = new Option<int>("--days")
        {
            Description = "How many days back, today included.",
            DefaultValueFactory = _ => 30,
        }.WholeNumberOf("days");
        var usage = new Command("usage", "Show spend and savings by day and route.") { data, days };
        usage.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(data)!, result.GetValue(days), time, Console.Out, Console.Error, cancellationToken));
        return usage;
    }

    /// <summary>Prints the table to <paramref name="output"/>; 1 with one line on <paramref name="error"/> when there is no ledger.</summary>
    internal static async Task<int> RunAsync(
        string dataDirectory, int days, TimeProvider time, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(Path.Combine(dataDirectory, SqliteLedgerStore.FileName));
        if (days < 1)
        {
            await error.WriteLineAsync($"--days must be 1 or more, got {days}.");
            return 1;
        }

        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"No ledger at {path}: nothing served yet, or pass --data with the folder 'spillway serve' used.");
            return 1;
        }

        var since = UsageReport.SinceDays(time.GetUtcNow(), days);
        using var store = new SqliteLedgerStore(dataDirectory);
        await store.InitializeAsync(cancellationToken);
        var report = UsageReport.Of(since, await store.UsageByDayAsync(since, cancellationToken));
        var console = CliConsole.For(output);
        console.Write(UsageTable.Of(report));
        return 0;
    }

    /// <summary>Dollars with at least cents and up to eight decimals: the cost of one cheap call is fractions of a cent.</summary>
    internal static string Dollars(decimal amount) => "$" + amount.ToString("0.00######", CultureInfo.InvariantCulture);
}
