using Spillway.Core.Budgets;
using Spillway.Core.Ledger;
using Spillway.Serving;
using Spillway.Storage.Sqlite;

namespace Spillway.Hosting;

/// <summary>
/// At start, before the first request, gives every budgeted client what the ledger says it already spent this
/// month, so a restart never refills a budget. Entries still queued at the last shutdown were flushed by then; what a
/// killed process never wrote to the ledger is first put back from the spend journal (<see cref="SqliteSpendJournal"/>,
/// when there is one), which also stays the <see cref="IClientSpendHistory"/>'s safety net.
/// </summary>
internal sealed partial class BudgetSeeding(
    ConfigHolder configs,
    IBudgetStore budgets,
    IClientSpendHistory history,
    TimeProvider time,
    ILedgerStore ledger,
    ILogger<BudgetSeeding> logger,
    SqliteSpendJournal? journal = null) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (journal is not null && await journal.RecoverAsync(cancellationToken) is { Count: > 0 } recovered)
        {
            await ledger.AppendAsync(recovered, cancellationToken);
            Log.Recovered(logger, recovered.Count);
        }

        var since = BudgetBook.MonthStart(time.GetUtcNow());
        foreach (var client in configs.Current.Auth.Clients)
        {
            if (client.HasBudget)
            {
                budgets.Seed(client.Id, await history.SpendByDayAsync(client.Id, since, cancellationToken));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Put {Count} paid requests back into the ledger from the spend journal: the last run stopped before it wrote them.")]
        public static partial void Recovered(ILogger logger, int count);
    }
}
