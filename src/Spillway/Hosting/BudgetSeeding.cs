using Spillway.Core.Budgets;
using Spillway.Serving;
using Spillway.Storage.Sqlite;

namespace Spillway.Hosting;

/// <summary>
/// At start, before the first request, gives every budgeted client what the ledger says it already spent this
/// month, so a restart never refills a budget. Entries still queued at the last shutdown were flushed by then; what a
/// killed process never wrote to the ledger comes from the spend journal (<see cref="SqliteSpendJournal"/>, the
/// <see cref="IClientSpendHistory"/> when there is one).
/// </summary>
internal sealed class BudgetSeeding(ConfigHolder configs, IBudgetStore budgets, IClientSpendHistory history, TimeProvider time) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
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
}
